export { formatHostPort, isLoopbackHost, parseHostPort, type HostPort } from './address.js';
export { COMMAND_TIMEOUT_MS, CONNECT_TIMEOUT_MS, connectInspector, evaluate, listTargets, type InspectorSession, type InspectorTarget } from './client.js';
export { checkSignalable, DEFAULT_INSPECTOR_PORT, openInspector, type OpenedInspector } from './open.js';
export { listeningSockets, looksLikeNode, processFacts, type ProcessFacts } from './proc.js';
