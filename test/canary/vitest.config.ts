import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.ts';

/** The suite's own configuration (global setup included), pointed at the deliberately failing fixture only. */
export default defineConfig({ ...base, test: { ...base.test, include: ['test/canary/*.canary.ts'] } });
