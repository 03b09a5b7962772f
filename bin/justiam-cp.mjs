#!/usr/bin/env node
// The control plane's command line: runs server/cli/main.ts from source through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../server/cli/main.ts');
