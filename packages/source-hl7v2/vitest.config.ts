import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared.ts';

export default defineProject({
  ssr: { resolve: { conditions: sourceConditions } },
  resolve: { conditions: sourceConditions },
  test: { name: '@carerelay/source-hl7v2', include: ['test/**/*.test.ts'] },
});
