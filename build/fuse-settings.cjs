// Electron fuses flipped into the packaged binary (Electron security checklist): no ELECTRON_RUN_AS_NODE,
// no NODE_OPTIONS or --inspect, the app loads only from its asar and the asar's integrity is checked,
// cookies encrypted, file:// gets no extra privileges (the app uses its own app:// scheme).
module.exports = {
  RunAsNode: false,
  EnableCookieEncryption: true,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  LoadBrowserProcessSpecificV8Snapshot: false,
  GrantFileProtocolExtraPrivileges: false,
};
