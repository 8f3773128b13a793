import { describe, expect, it } from 'vitest';
import { openSetupOnInstall } from '../../lib/extension/first-run';
import { checkConnection, connectionSaveRefusal } from '../../lib/messaging/connection-form';
import { translatorFor } from '../../lib/i18n';
import { describe as say } from '../../lib/i18n/translator';

function fakeRuntime() {
  let listener: ((details: { reason: string }) => void) | undefined;
  const opened: number[] = [];
  return {
    runtime: {
      onInstalled: { addListener: (l: (details: { reason: string }) => void) => void (listener = l) },
      openOptionsPage: async () => void opened.push(1),
    },
    fire: (reason: string) => listener!({ reason }),
    opened,
  };
}

describe('first run', () => {
  it('opens the options page on install only, not on update or a browser update', async () => {
    const fake = fakeRuntime();
    openSetupOnInstall(fake.runtime);
    fake.fire('update');
    fake.fire('chrome_update');
    await Promise.resolve();
    expect(fake.opened).toHaveLength(0);
    fake.fire('install');
    await Promise.resolve();
    expect(fake.opened).toHaveLength(1);
  });
});

describe('connection form checks', () => {
  const valid = { label: 'Octopus', baseUrl: 'https://service.inaras.be/octopus-rest-api/v1', softwareHouseUuid: 'abc', user: 'u', password: 'p' };

  it('accepts a complete form', () => {
    expect(checkConnection(valid)).toMatchObject({ ok: true, value: { softwareHouseUuid: 'abc' } });
  });

  it('names each empty field in the reader’s language, never zod’s English', () => {
    const check = checkConnection({ ...valid, softwareHouseUuid: ' ', user: '', baseUrl: 'ftp://x' });
    if (check.ok) throw new Error('an empty form was accepted');
    expect(Object.keys(check.fields).sort()).toEqual(['baseUrl', 'softwareHouseUuid', 'user']);
    expect(check.first.key).toBe('form_url');
    const nl = translatorFor('nl');
    const fr = translatorFor('fr');
    expect(say(nl, check.fields.softwareHouseUuid!)).toBe('Software house-ID: vul dit in.');
    expect(say(fr, check.fields.user!)).toBe('Utilisateur : à remplir.');
    expect(say(nl, check.fields.baseUrl!)).toBe('Webservice-URL: een webadres dat begint met https://');
    for (const text of Object.values(check.fields)) expect(say(translatorFor('en'), text!)).not.toMatch(/Too small|expected/);
  });

  it('says the limit of a field that is too long', () => {
    const check = checkConnection({ ...valid, label: 'x'.repeat(201) });
    if (check.ok) throw new Error('a 201-character name was accepted');
    expect(say(translatorFor('en'), check.fields.label!)).toBe('Name: at most 200 characters.');
  });

  it('has the worker refuse a bad connection.save with a translated text, and leave other requests alone', () => {
    const refusal = connectionSaveRefusal({ type: 'connection.save', connection: { ...valid, password: '' } });
    expect(refusal?.error.code).toBe('bad-request');
    expect(refusal?.error.text).toEqual({ key: 'form_required', params: ['@options_password'] });
    expect(connectionSaveRefusal({ type: 'connection.save', connection: valid })).toBeUndefined();
    expect(connectionSaveRefusal({ type: 'dossier.remove' })).toBeUndefined();
  });
});
