import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImportErrors(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer rules (ESLint)', () => {
  it('reject an electron import in the core', async () => {
    const errors = await restrictedImportErrors("import { app } from 'electron';\nexport const x = app;\n", 'main/journal/bad.ts');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/only imported under main\/electron/);
  });

  it('accept an electron import in the Electron shell and the preload', async () => {
    expect(await restrictedImportErrors("import { app } from 'electron';\nexport const x = app;\n", 'main/electron/x.ts')).toEqual([]);
    expect(await restrictedImportErrors("import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n", 'preload/x.ts')).toEqual([]);
  });

  it('reject a host import from the core', async () => {
    const errors = await restrictedImportErrors("import { startWebHost } from '../web/web-host';\nexport const x = startWebHost;\n", 'main/journal/bad.ts');
    expect(errors[0]).toMatch(/never imports a host/);
  });

  it('reject Node built-ins and main/ imports in the renderer', async () => {
    expect(await restrictedImportErrors("import fs from 'node:fs';\nexport const x = fs;\n", 'renderer/src/bad.ts')).toHaveLength(1);
    expect(await restrictedImportErrors("import { RelaisCore } from '../../main/core';\nexport const x = RelaisCore;\n", 'renderer/src/bad.ts')).toHaveLength(1);
    expect(await restrictedImportErrors("import { API } from '../../contract';\nexport const x = API;\n", 'renderer/src/ok.ts')).toEqual([]);
  });

  it('reject main/ imports in the sandbox (an independent platform), accept contract/ and its own files', async () => {
    const fromSeed = await restrictedImportErrors("import { PS } from '../../main/platform/fhir/systems';\nexport const x = PS;\n", 'sandbox/seed/bad.ts');
    expect(fromSeed).toHaveLength(1);
    expect(fromSeed[0]).toMatch(/independent platform/);
    expect(await restrictedImportErrors("import { composeCore } from '../main/compose';\nexport const x = composeCore;\n", 'sandbox/bad.ts')).toHaveLength(1);
    expect(await restrictedImportErrors("import { X } from '../../main';\nexport const x = X;\n", 'sandbox/auth/bad.ts')).toHaveLength(1);
    expect(await restrictedImportErrors("import { can } from '../../contract/roles';\nexport const x = can;\n", 'sandbox/auth/ok.ts')).toEqual([]);
    expect(await restrictedImportErrors("import { ANS } from '../fhir/systems';\nexport const x = ANS;\n", 'sandbox/seed/ok.ts')).toEqual([]);
  });

  it("reject a feature importing another feature's internals, accept its own files, the context and the plumbing", async () => {
    const cross = await restrictedImportErrors("import { referralWriter } from '../referral/writer';\nexport const x = referralWriter;\n", 'main/features/agenda/bad.ts');
    expect(cross).toHaveLength(1);
    expect(cross[0]).toMatch(/another feature's internals/);
    // The core rules still hold inside a feature.
    expect(await restrictedImportErrors("import { app } from 'electron';\nexport const x = app;\n", 'main/features/agenda/bad.ts')).toHaveLength(1);
    expect(await restrictedImportErrors("import type { FeatureContext } from '../feature';\nexport type X = FeatureContext;\n", 'main/features/agenda/ok.ts')).toEqual([]);
    expect(await restrictedImportErrors("import { Outbox } from '../../outbox/outbox';\nexport const x = Outbox;\n", 'main/features/agenda/ok.ts')).toEqual([]);
    expect(await restrictedImportErrors("import { agendaWriter } from './appointment-writer';\nexport const x = agendaWriter;\n", 'main/features/agenda/ok.ts')).toEqual([]);
    // The list of features (main/features/index.ts) composes them: allowed.
    expect(await restrictedImportErrors("import { createAgendaFeature } from './agenda/handlers';\nexport const x = createAgendaFeature;\n", 'main/features/index.ts')).toEqual([]);
  });
});
