// The build of the reference server inside Stryker's sandbox (`pnpm mutation --target
// reference`): the package's own entry and settings, without declaration files, which only
// slow the build and do not run.
export default {
  entry: { index: "src/index.ts" },
  format: ["esm"],
  target: "node20",
  platform: "node",
  dts: false,
  sourcemap: false,
  clean: true,
};
