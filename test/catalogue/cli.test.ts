import { describe, expect, it } from 'vitest';
import { codeNote, NO_FINAL } from '../../src/analysis/codes.js';
import { allTopics, classLabel } from '../../src/catalogue/index.js';
import { main, type CliIo } from '../../src/cli/main.js';

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (s) => void (out += s), stderr: (s) => void (err += s), isTTY: false };
  const code = await main(['node', 'sipscope', ...args], io);
  return { code, out, err };
}

describe('sipscope explain', () => {
  const queries = [
    { q: ['486'], code: 486, reason: 'Busy Here', variant: undefined },
    { q: ['403 No Money Left on RFC Account'], code: 403, reason: 'Forbidden', variant: 'No Money Left on RFC Account' },
    { q: ['SIP/2.0 480 DB Timeout'], code: 480, reason: 'Temporarily Unavailable', variant: 'DB Timeout' },
    { q: ['sip/2.0 401 auth error - STALL NONCE\r\n'], code: 401, reason: 'Unauthorized', variant: 'AUTH Error: Stall nonce' },
    { q: ['500', 'Call', 'placing', 'quota', 'exceeded'], code: 500, reason: 'Server Internal Error', variant: 'Call placing quota exceeded' },
  ];

  for (const { q, code, reason, variant } of queries) {
    for (const lang of ['en', 'ru'] as const) {
      it(`text card for ${JSON.stringify(q.join(' '))} in ${lang}`, async () => {
        const r = await run('explain', ...q, '--lang', lang);
        expect(r.err).toBe('');
        expect(r.code).toBe(0);
        expect(r.out.startsWith(`${code} ${reason} — `)).toBe(true);
        if (variant) expect(r.out).toContain(lang === 'ru' ? `«${variant}»` : `"${variant}"`);
        if (lang === 'ru') expect(r.out).toMatch(/[а-яё]{4}/i);
        else expect(r.out).not.toMatch(/[а-яё]/i);
      });
    }
    it(`--json for ${JSON.stringify(q.join(' '))}`, async () => {
      const r = await run('explain', ...q, '--json');
      expect(r.code).toBe(0);
      const j = JSON.parse(r.out);
      expect(j.code).toBe(code);
      expect(j.reason).toBe(reason);
      expect(typeof j.class).toBe('string');
      expect(j.rfc).toMatch(/^RFC /);
      expect(j.final).toBe(true);
      expect(j.description.en).toBeTruthy();
      expect(j.description.ru).toBeTruthy();
      expect(Array.isArray(j.hints)).toBe(true);
      if (variant) {
        expect(j.variant.reason).toBe(variant);
        expect(j.variant.description.en).toBeTruthy();
        expect(j.variant.description.ru).toBeTruthy();
      } else expect(j.variant).toBeUndefined();
    });
  }

  it('shows the SIM-box hint and the re-route policy for 486', async () => {
    const r = await run('explain', '486');
    expect(r.out).toContain('SIM');
    expect(r.out).toContain('not re-routed');
    expect(r.out).toContain('17 USER_BUSY');
    const j = JSON.parse((await run('explain', '486', '--json')).out);
    expect(j.reroutable).toBe(false);
    expect(j.seerEffective).toBe(true);
    expect(j.hints.map((h: { id: string }) => h.id)).toContain('simbox-486');
  });

  it('an unknown phrase falls back on the code with a note', async () => {
    const j = JSON.parse((await run('explain', '480 Moon Phase Wrong', '--json')).out);
    expect(j.code).toBe(480);
    expect(j.variant).toBeUndefined();
    expect(j.note.en).toContain('Moon Phase Wrong');
    const t = await run('explain', '480 Moon Phase Wrong', '--lang', 'ru');
    expect(t.out).toContain('Примечание');
  });

  it('an unknown code gets its class from the first digit', async () => {
    const j = JSON.parse((await run('explain', '477', '--json')).out);
    expect(j.class).toBe('client');
    expect(j.status).toBe('unknown');
    expect(j.rfc).toBeNull();
    expect(j.note.en).toContain('477');
  });

  it('finds a topic hint by phrase', async () => {
    const r = await run('explain', 'No DNS result', '--lang', 'ru');
    expect(r.code).toBe(0);
    expect(r.out).toContain('DNS');
  });

  it('explains code 0, the reports\' "no final response", with the meaning the reports give it', async () => {
    const report = codeNote(NO_FINAL); // what every report's code mix says of code 0
    for (const q of ['0', '000', ' 0 ']) {
      const en = await run('explain', q);
      expect(en.code, q).toBe(0);
      expect(en.err).toBe('');
      expect(en.out.startsWith(`0 ${report.reason} — `)).toBe(true);
      expect(en.out).toContain(report.meaning);
      expect(en.out).toContain('--code none');
      expect(en.out).not.toMatch(/[а-яё]/i);
    }
    const ru = await run('explain', '0', '--lang', 'ru');
    expect(ru.code).toBe(0);
    expect(ru.out.startsWith(`0 ${report.reason} — `)).toBe(true);
    expect(ru.out).toMatch(/окончательн/);
    const j = JSON.parse((await run('explain', '0', '--json')).out);
    expect(j).toMatchObject({ code: 0, reason: report.reason, final: false, answered: false, reroutable: null, q850: null });
    expect(j.description.en).toBe(report.meaning);
    expect(j.description.ru).toMatch(/[а-яё]{4}/i);
  });

  it.each([['hello'], ['4860'], ['48'], ['799'], ['SIP/2.0'], ['SIP/x 4860'], [''], ['0000'], ['from 172.16.1.16']])('garbage %j is a usage error (exit 2, one line)', async (q) => {
    const r = await run('explain', q);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^sipscope: explain: /);
  });

  it('the usage error names the known problems, so a user who missed one learns that topics exist', async () => {
    const r = await run('explain', 'something odd');
    expect(r.code).toBe(2);
    expect(r.err).toContain('known problem');
    for (const t of allTopics()) expect(r.err).toContain(t.title.en);
  });

  it('reads a status copied from a log line or a support page (M3)', async () => {
    const cases: [string, number, string | undefined][] = [
      ['Got SIP response 486 "Busy Here" back from 172.16.1.16', 486, undefined],
      ['SIP response 486 «Busy Here»', 486, undefined],
      ['Ошибка Sip 503 – Service Unavailablе', 503, undefined],
      ['[Mar  5 11:00:01] VERBOSE[123][C-00000002] chan_sip.c: Got SIP response 480 "DB Timeout" back from 203.0.113.10:5060', 480, 'DB Timeout'],
    ];
    for (const [q, code, variant] of cases) {
      const r = await run('explain', q, '--json');
      expect(r.code, q).toBe(0);
      const j = JSON.parse(r.out);
      expect(j.code, q).toBe(code);
      expect(j.note, q).toBeUndefined();
      expect(j.variant?.reason, q).toBe(variant);
    }
    // an unknown phrase is quoted without the separator or the quotes around it
    const j = JSON.parse((await run('explain', 'Got SIP response 480 "Moon Phase" back from 10.0.0.1', '--json')).out);
    expect(j.note.en).toContain('"Moon Phase" is not in the catalogue');
    const k = JSON.parse((await run('explain', '480 – Moon Phase', '--json')).out);
    expect(k.note.en).toContain('"Moon Phase" is not in the catalogue');
  });

  it('takes no code from the middle of a description: a usage error, not a wrong card (N2)', async () => {
    for (const q of [
      'calls drop after 120 seconds',
      'RTP timeout after 180 seconds',
      'after 600 ms the call fails',
      'My calls to 100 fail',
      'Call from 300 to 486 failed',
      'WARNING[1234]: chan_sip.c:4123 retrans_pkt: Retransmission timeout reached on transmission 3c26@10.0.0.1 for seqno 102 (Critical Request)',
      `NOTICE[1234]: chan_sip.c:28000 handle_request_register: Registration from '"101" <sip:101@1.2.3.4>' failed for '5.6.7.8:5060' - Wrong password`,
    ]) {
      const r = await run('explain', q);
      expect(r.code, q).toBe(2);
      expect(r.out, q).toBe('');
      expect(r.err, q).toMatch(/^sipscope: explain: cannot read /);
    }
    // a short number calls come from is the ghost-calls topic again
    const g = await run('explain', 'calls from 100');
    expect(g.code).toBe(0);
    expect(g.out.split('\n')[0]).toBe('Ghost calls from short numbers');
  });

  it('reads an Asterisk console line that starts with `--` as the query, not as an option (N9)', async () => {
    const line = '-- Got SIP response 486 "Busy Here" back from 1.2.3.4:5060';
    const r = await run('explain', line);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.startsWith('486 Busy Here — ')).toBe(true);
    // options before and after it are still options
    const ru = await run('explain', '--lang', 'ru', line, '--json');
    expect(ru.code).toBe(0);
    expect(JSON.parse(ru.out).code).toBe(486);
    const t = await run('explain', line, '--lang', 'ru');
    expect(t.out).toMatch(/^486 Busy Here — ошибка запроса/);
    // the `--` form keeps working, and a mistyped option is still refused with commander's suggestion
    expect((await run('explain', '--', line)).out.startsWith('486 Busy Here — ')).toBe(true);
    const bad = await run('explain', '486', '--jsno');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("unknown option '--jsno'");
    expect(bad.err).toContain('--json');
  });

  it('a phrase that blames the dialled number, under a code that is re-routed, does not send the call elsewhere (N10)', async () => {
    for (const q of ['403 not found', 'При наборе номера выдает ошибку 403 not found', '480 Invalid Phone Number']) {
      const en = (await run('explain', q)).out;
      expect(en, q).not.toContain('a switch should try another vendor');
      expect(en, q).toContain('puts the fault on the dialled number');
      expect(en, q).toContain('another vendor would give the same answer');
      expect(en, q).toContain('The dialled number is wrong or does not exist');
      expect(en, q).not.toMatch(/password/i);
      const ru = (await run('explain', q, '--lang', 'ru')).out;
      expect(ru, q).not.toContain('коммутатору стоит попробовать другого вендора');
      expect(ru, q).toContain('указывает на ошибку в набранном номере');
      expect(ru, q).toContain('Набранный номер неверен или не существует');
      expect(ru, q).not.toMatch(/парол/i);
      const j = JSON.parse((await run('explain', q, '--json')).out);
      expect(j.reroutable, q).toBe(true); // the switch's default stays what the code says
      expect(j.numberFailure, q).toBe(true);
      expect(j.hints.map((h: { id: string }) => h.id), q).toEqual(['wrong-number']);
    }
    // the code alone, and the code's other phrases, keep the plain verdict and hints
    const bare = (await run('explain', '403')).out;
    expect(bare).toContain('a switch should try another vendor');
    expect(bare).toContain('Wrong login or password');
    expect(JSON.parse((await run('explain', '403', '--json')).out).numberFailure).toBeUndefined();
    expect((await run('explain', '403 Invalid Phone Number')).out).toContain('a switch should try another vendor');
  });

  it('quotes a phrase of the query with its control characters made harmless (N11)', async () => {
    const evil = '\u001b[31mRED\u202egnp\u009b2J\u0007';
    for (const q of [`486 ${evil}`, `Got SIP response 486 "${evil}" back from 10.0.0.1`]) {
      for (const lang of ['en', 'ru']) {
        const r = await run('explain', q, '--lang', lang);
        expect(r.code, q).toBe(0);
        expect(r.out, q).toContain('RED\uFFFDgnp');
        expect(r.out, q).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      }
      const j = await run('explain', q, '--json');
      expect(j.out, q).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u0080-\u009f]/);
      expect(j.out, q).not.toContain('\\u001b');
      expect(JSON.parse(j.out).note.en, q).toContain('\uFFFD[31mRED\uFFFDgnp');
    }
    // a word that looks like an option but holds a control character is the query, so it is not echoed raw
    // in commander's "unknown option" error either
    const opt = await run('explain', '--\u001b]0;pwned\u0007\u202e');
    expect(opt.code).toBe(2);
    expect(opt.err).toMatch(/^sipscope: explain: cannot read /);
    expect(opt.err).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
  });

  it('a vendor-failure phrase of a code that is not re-routed says both, without contradiction (L1)', async () => {
    for (const q of ['410 No Route', '404 Out of Order', '404 Undefined Reason']) {
      const en = (await run('explain', q)).out;
      expect(en, q).toContain('another vendor');
      expect(en, q).not.toContain('another vendor would get the same answer');
      expect(en, q).toContain('does not re-route on this code by default');
      expect(en, q).toContain("this vendor's own failure");
      const ru = (await run('explain', q, '--lang', 'ru')).out;
      expect(ru, q).not.toContain('другой вендор получит тот же ответ');
      expect(ru, q).toContain('по умолчанию коммутатор не перемаршрутизирует');
      expect(ru, q).toContain('отправить трафик другому вендору');
      const j = JSON.parse((await run('explain', q, '--json')).out);
      expect(j.reroutable, q).toBe(false); // the switch's default stays what the code says
      expect(j.vendorFailure, q).toBe(true);
    }
    // the code alone, and a vendor phrase of a code that is re-routed anyway, keep the plain verdicts
    expect((await run('explain', '410')).out).toContain('another vendor would get the same answer');
    expect(JSON.parse((await run('explain', '410', '--json')).out).vendorFailure).toBeUndefined();
    expect((await run('explain', '480 Empty Route Set')).out).toContain('a switch should try another vendor');
  });

  it('the note on an unregistered code names its class in the card\'s language (L5)', async () => {
    const ru = (await run('explain', '450', '--lang', 'ru')).out;
    expect(ru).toContain('классом 4xx («ошибка запроса»)');
    expect(ru).not.toContain('(client)');
    const en = (await run('explain', '450')).out;
    expect(en).toContain('its class, 4xx (client failure)');
    expect(en).not.toContain('(client)');
    expect((await run('explain', '299')).out).toContain('its class, 2xx (success)');
  });

  it('a topic card has a title in its language, not the hint id (L7)', async () => {
    const ru = await run('explain', 'призрачные звонки', '--lang', 'ru');
    expect(ru.out.split('\n')[0]).toBe('Призрачные звонки с коротких номеров');
    const en = await run('explain', 'No DNS result');
    expect(en.out.split('\n')[0]).toBe('"No DNS result" on the phone');
    const j = JSON.parse((await run('explain', 'ghost calls', '--json')).out);
    expect(j).toMatchObject({ topic: 'ghost-calls', title: { en: 'Ghost calls from short numbers' } });
  });

  it('the 30 s hint names the 2xx retransmission of RFC 3261 §13.3.1.4, not timer H (L9)', async () => {
    for (const q of ['200', 'call drops after 30 seconds']) {
      for (const lang of ['en', 'ru']) {
        const out = (await run('explain', q, '--lang', lang)).out;
        expect(out, `${q} ${lang}`).toContain('64×T1 = 32');
        expect(out, `${q} ${lang}`).toContain('RFC 3261 §13.3.1.4');
        expect(out, `${q} ${lang}`).not.toMatch(/timer H|таймер H/i);
      }
    }
  });

  it('rejects an unknown language', async () => {
    const r = await run('explain', '486', '--lang', 'de');
    expect(r.code).toBe(2);
  });

  it('help lists every option with an example', async () => {
    const r = await run('explain', '--help');
    expect(r.code).toBe(0);
    r.out = r.out.replace(/\s+/g, ' ');
    expect(r.out).toContain('--lang');
    expect(r.out).toContain('--json');
    expect(r.out).toContain('e.g. --lang ru');
    expect(r.out).toContain('sipscope explain "SIP/2.0 480 DB Timeout" --json');
  });
});

describe('sipscope catalogue', () => {
  it('json: an array of entries with variants', async () => {
    const r = await run('catalogue', '--format', 'json');
    expect(r.code).toBe(0);
    const a = JSON.parse(r.out) as Array<Record<string, any>>;
    expect(a.length).toBeGreaterThanOrEqual(78);
    const e403 = a.find((e) => e.code === 403)!;
    expect(e403).toMatchObject({ reason: 'Forbidden', class: 'client', rfc: 'RFC 3261 §21.4.4' });
    expect(e403.description.ru).toBeTruthy();
    expect(e403.variants.map((v: { reason: string }) => v.reason)).toContain('No Money Left on RFC Account');
    for (const e of a) {
      for (const k of ['code', 'reason', 'class', 'rfc', 'description', 'variants']) expect(e).toHaveProperty(k);
    }
  });

  it('csv: RFC 4180 rows, one per code and per phrase', async () => {
    const r = await run('catalogue', '--format', 'csv');
    expect(r.code).toBe(0);
    const lines = r.out.split('\r\n');
    expect(lines[0]).toBe('code,kind,reason,class,final,rfc,status,description_en,description_ru');
    expect(lines.at(-1)).toBe('');
    expect(lines.some((l) => l.startsWith('401,variant,AUTH Error: Stall nonce,client,'))).toBe(true);
    // a description with a comma is quoted
    expect(r.out).toMatch(/\n403,default,Forbidden,client,true,RFC 3261 §21\.4\.4,iana,"/);
  });

  it('md and table in both languages', async () => {
    const md = await run('catalogue', '--format', 'md', '--lang', 'ru');
    expect(md.out).toContain('| 486 | Busy Here |');
    expect(md.out).toContain('Фразы провайдеров');
    const t = await run('catalogue');
    expect(t.code).toBe(0);
    expect(t.out).toContain('Busy Here');
    expect(t.out).toContain('↳ DB Timeout');
    expect(t.out).not.toContain('\u001b['); // no colour codes when stdout is not a terminal
    const tr = await run('catalogue', '--format', 'table', '--lang', 'ru');
    expect(tr.out).toContain('Значение');
  });

  it('the class column of the table holds every class name whole, in both languages (L6)', async () => {
    for (const lang of ['en', 'ru'] as const) {
      const t = (await run('catalogue', '--format', 'table', '--lang', lang)).out;
      const cells = new Set(t.split('\n').map((l) => l.split('│')[3]?.trim()).filter((c) => c));
      expect(cells.has(lang === 'ru' ? 'Класс' : 'Class')).toBe(true);
      for (const cls of ['provisional', 'success', 'redirection', 'client', 'server', 'global'] as const) {
        const label = classLabel(cls, lang);
        // a one-word label must fit whole; a two-word one may wrap at its blank
        if (!label.includes(' ')) expect(cells.has(label), `${lang} ${label}`).toBe(true);
      }
      for (const c of cells) expect(c, lang).not.toContain('…');
    }
  });

  it('rejects an unknown format', async () => {
    expect((await run('catalogue', '--format', 'xml')).code).toBe(2);
  });

  it('help lists every option with an example', async () => {
    const r = await run('catalogue', '--help');
    r.out = r.out.replace(/\s+/g, ' ');
    expect(r.out).toContain('e.g. --format csv');
    expect(r.out).toContain('e.g. --lang ru');
  });
});
