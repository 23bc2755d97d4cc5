/**
 * electron-builder's `msiProjectCreated` hook (electron-builder.yml): called with the path of the
 * generated WiX project (project.wxs) before candle/light compile it. electron-builder's MSI
 * template writes no URL protocol (its `protocols` key is macOS-only), so without this the MSI
 * installs a Relais that relais:// links cannot reach. Adds one registry component to the
 * product's component group, the same key installer/installer.nsh writes for NSIS:
 *   HKLM\Software\Classes\relais            (default) = URL:Relais, URL Protocol = ""
 *   HKLM\Software\Classes\relais\DefaultIcon            "<Relais.exe>",0
 *   HKLM\Software\Classes\relais\shell\open\command     "<Relais.exe>" -- "%1"
 * `[#mainExecutable]` is MSI's formatted path of the template's main-executable File. Per-machine
 * install: HKLM. The whole key is removed on uninstall. Idempotent (the hook may run per arch).
 */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS hook electron-builder requires */
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');

const COMPONENT_ID = 'RelaisUrlProtocol';
// Stable across builds (a registry-keyed component cannot have an auto-generated GUID).
const COMPONENT_GUID = 'EBA6559F-2648-5D5E-9F54-70A20269D2A8';
const EXE = '&quot;[#mainExecutable]&quot;';

const COMPONENT = `
      <Component Id="${COMPONENT_ID}" Guid="${COMPONENT_GUID}">
        <RegistryKey Root="HKLM" Key="Software\\Classes\\relais" ForceDeleteOnUninstall="yes">
          <RegistryValue Type="string" Value="URL:Relais" KeyPath="yes"/>
          <RegistryValue Type="string" Name="URL Protocol" Value=""/>
          <RegistryKey Key="DefaultIcon">
            <RegistryValue Type="string" Value="${EXE},0"/>
          </RegistryKey>
          <RegistryKey Key="shell\\open\\command">
            <RegistryValue Type="string" Value="${EXE} -- &quot;%1&quot;"/>
          </RegistryKey>
        </RegistryKey>
      </Component>
    `;

function addUrlProtocol(wxs) {
  if (wxs.includes(`Id="${COMPONENT_ID}"`)) return wxs;
  const group = /(<ComponentGroup Id="ProductComponents"[^>]*>[\s\S]*?)(<\/ComponentGroup>)/;
  if (!group.test(wxs)) throw new Error('msiProjectCreated: no ProductComponents group in the WiX project (electron-builder template changed?)');
  if (!wxs.includes('Id="mainExecutable"')) throw new Error('msiProjectCreated: no mainExecutable file in the WiX project');
  return wxs.replace(group, (_, body, end) => `${body}${COMPONENT}${end}`);
}

async function msiProjectCreated(projectFile) {
  writeFileSync(projectFile, addUrlProtocol(readFileSync(projectFile, 'utf8')));
}

module.exports = { msiProjectCreated, addUrlProtocol };
