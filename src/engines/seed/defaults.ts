/*
 * Apart from the engine so that the seed command's validator (and with it every command's start-up)
 * does not load the generator and the driver.
 */

/** The date of the WebIM post-mortem: the default seed gives figures close to its own. */
export const DEFAULT_SEED = 20180810;
export const DEFAULT_BATCH_SIZE = 1000;
