#!/usr/bin/env node
// The `netconf` command: see src/cli/main.ts (built into dist/ by `npm run build`).
import { run } from '../dist/cli/main.js';

await run();
