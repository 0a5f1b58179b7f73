#!/usr/bin/env node
// Thin launcher: the compiled entry point owns the process (src/main.ts).
import '../dist/main.js';
