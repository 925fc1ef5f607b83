import { describe, expect, it } from 'vitest';
import { seededRandom } from '../testing/mail-generator.ts';
import { referenceMailToActivity } from '../testing/mail-reference.ts';
import { mailToActivity, simpleAddressList } from './mail-headers.ts';

// The header parser's fast paths (wanted headers by length, simple address lists read without the
// library) must give what the reference parser gives for any header block, simple or not.
const origin = { file: 'x.mbox', offset: 0, line: 1 };
const parseBoth = (header: string) => {
  const block = Buffer.from(header, 'latin1');
  return {
    actual: mailToActivity({ header: block, source: 'mail', origin }),
    expected: referenceMailToActivity({ header: block, source: 'mail', origin }),
  };
};
const withTo = (to: string) =>
  `From: "Rep 1" <rep1@acme-sales.com>\nTo: ${to}\nDate: Mon, 1 Feb 2026 10:00:00 +0100\nSubject: s\n\n`;

describe('mail header fast paths', () => {
  it.each([
    'lead1@company1.com',
    '<lead1@company1.com>',
    '"Lead One" <lead1@company1.com>',
    '"Lead One"<lead1@company1.com>',
    'Lead One <lead1@company1.com>',
    'Zoë Müller <lead22@company22.com>',
    '"Doe, Jane" <lead1@company1.com>, lead2@company2.com',
    '"lead1@company1.com" <lead1@company1.com>',
    '"  spaced   name " <lead1@company1.com>',
    '"" <lead1@company1.com>',
    '"=?UTF-8?B?w4ltaWxl?=" <lead1@company1.com>',
    '=?UTF-8?B?w4ltaWxl?= <lead1@company1.com>',
    '"Jane \\"JJ\\" Doe" <lead1@company1.com>',
    'lead1@company1.com (Lead One)',
    'Sales: lead1@company1.com, lead2@company2.com;',
    'lead1@company1.com,, lead2@company2.com',
    'lead1@company1.com,',
    ' , lead1@company1.com',
    'lead1 at company1.com',
    '<>',
    '< lead1@company1.com >',
    '"Lead" <lead1@company1.com> <lead2@company2.com>',
    'a@b@c.com',
    '"Tab\tName" <lead1@company1.com>',
    "'lead1@company1.com'",
    '',
    '   ',
    'undisclosed-recipients:;',
  ])('To: %s', (to) => {
    const { actual, expected } = parseBoth(withTo(to));
    expect(actual).toEqual(expected);
  });

  it('headers by odd names, folding and CRLF', () => {
    for (const header of [
      'From : rep1@acme-sales.com\nTO:lead1@company1.com\nDATE: Mon, 1 Feb 2026 10:00:00 +0100\n\n',
      'Received: from x\n\tby y\nFrom: rep1@acme-sales.com\n  , lead1@company1.com\nTo: lead2@company2.com\nno colon line\n lead3@company3.com\nDate: Mon, 1 Feb 2026 10:00:00 +0100\n\n',
      'From: rep1@acme-sales.com\r\nTo: lead1@company1.com\r\nDate: Mon, 1 Feb 2026 10:00:00 +0100\r\n\r\nTo: late@x.com\n',
      '\ufeffFrom: rep1@acme-sales.com\nTo: lead1@company1.com\nDate: Mon, 1 Feb 2026 10:00:00 +0100',
      ':From: rep1@acme-sales.com\nFrom: rep2@acme-sales.com\nDate: Mon, 1 Feb 2026 10:00:00 +0100\n',
    ]) {
      const block = Buffer.from(header, 'utf8');
      expect(mailToActivity({ header: block, source: 'mail', origin })).toEqual(
        referenceMailToActivity({ header: block, source: 'mail', origin }),
      );
    }
  });

  it('random address lists from tricky pieces give the same participants', () => {
    const rnd = seededRandom(11);
    const pieces = [
      'lead1@company1.com',
      'rep2@acme-sales.com',
      'LEAD3+x@Company3.COM',
      '"Doe, Jane" <lead1@company1.com>',
      'Zoë Müller <rep2@acme-sales.com>',
      '<lead4@company4.com>',
      '"',
      '<',
      '>',
      ',',
      ', ',
      ' ',
      '\t',
      'Name',
      'Zoë',
      '=?UTF-8?Q?Andr=E9?=',
      '\\',
      '(',
      ')',
      ':',
      ';',
      '@',
      '.',
      "'",
    ];
    let simple = 0;
    for (let n = 0; n < 5000; n++) {
      const length = 1 + Math.floor(rnd() * 8);
      let to = '';
      for (let k = 0; k < length; k++) to += pieces[Math.floor(rnd() * pieces.length)];
      if (simpleAddressList(to, 'to')?.length) simple++;
      const { actual, expected } = parseBoth(withTo(to));
      expect(actual, to).toEqual(expected);
    }
    // Both paths were exercised.
    expect(simple).toBeGreaterThan(100);
    expect(simple).toBeLessThan(4800);
  });
});
