// electron-builder afterPack hook: flips the fuses (build/fuse-settings.cjs) in the packaged Electron binary.
const path = require('node:path');
const { flipFuses, FuseVersion, FuseV1Options } = require('@electron/fuses');
const settings = require('./fuse-settings.cjs');

function executablePath(context) {
  const name = context.packager.appInfo.productFilename;
  switch (context.electronPlatformName) {
    case 'darwin':
    case 'mas':
      return path.join(context.appOutDir, `${name}.app`, 'Contents', 'MacOS', name);
    case 'win32':
      return path.join(context.appOutDir, `${name}.exe`);
    default:
      return path.join(context.appOutDir, context.packager.executableName);
  }
}

module.exports = async function afterPack(context) {
  const fuses = { version: FuseVersion.V1, strictlyRequireAllFuses: true, resetAdHocDarwinSignature: context.electronPlatformName === 'darwin' };
  for (const [name, value] of Object.entries(settings)) fuses[FuseV1Options[name]] = value;
  await flipFuses(executablePath(context), fuses);
};
