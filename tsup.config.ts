import { defineConfig } from 'tsup';

/**
 * One build for every package: run from a package directory (`tsup --config ../../tsup.config.ts`),
 * it bundles that package's `src/index.ts` into ESM + CJS with `.d.ts` for both.
 */
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: { compilerOptions: { ignoreDeprecations: '6.0', customConditions: [] } },
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: false,
  treeshake: true,
});
