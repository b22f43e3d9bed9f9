import { QueryFailedError } from 'typeorm';
import { redactUrl, safeErrSerializer, safeReqSerializer } from './log-safety';

describe('redactUrl (issue 12 §8)', () => {
  const m = '0190f0c0-0000-7000-8000-000000000001';
  it.each([
    [`/api/v1/public/markets/${m}/confirmations/AbC123tok`, `/api/v1/public/markets/${m}/confirmations/:token`],
    [`/api/v1/public/markets/${m}/confirmations/AbC123tok/non-payment`, `/api/v1/public/markets/${m}/confirmations/:token/non-payment`],
    ['/api/v1/public/training-sessions/Tr41n1ng/attendance', '/api/v1/public/training-sessions/:token/attendance'],
    ['/api/v1/public/complaints/TRK8QZ/reopen', '/api/v1/public/complaints/:code/reopen'],
    [`/m/${m}/c/AbC123tok`, `/m/${m}/c/:token`],
    ['/t/Tr41n1ng?x=1', '/t/:token?x=1'],
    ['/api/v1/workers?mobile=13812345678&pageSize=1', '/api/v1/workers?mobile=[redacted]&pageSize=1'],
    ['/api/v1/workers?q=13812345678', '/api/v1/workers?q=[mobile]'],
    ['/api/v1/workers?q=%E5%BC%A0138-1234-5678', '/api/v1/workers?q=%E5%BC%A0[mobile]'],
    ['/api/v1/workers?q=%E5%BC%A0%E4%B8%89', '/api/v1/workers?q=%E5%BC%A0%E4%B8%89'],
    ['/api/v1/x?idNumber=41010219900101123X&token=abc&Code=1', '/api/v1/x?idNumber=[redacted]&token=[redacted]&Code=[redacted]'],
    ['/api/v1/x?q=41010219900101123X', '/api/v1/x?q=[id]'],
    [`http://localhost:8080/m/${m}/c/AbC123tok#top`, `http://localhost:8080/m/${m}/c/:token`],
    ['/api/v1/markets?page=2', '/api/v1/markets?page=2'],
  ])('%s → %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it('redacts the referer header and drops parsed query and params', () => {
    const out = safeReqSerializer({
      url: '/api/v1/public/complaints/TRK8QZ', query: { mobile: '13812345678' }, params: { code: 'TRK8QZ' },
      headers: { referer: `http://h/m/${m}/c/AbC123tok`, host: 'h' },
    });
    expect(JSON.stringify(out)).not.toMatch(/TRK8QZ|AbC123tok|13812345678/);
    expect(out.url).toBe('/api/v1/public/complaints/:code');
  });
});

describe('safeErrSerializer (issue 12 §8)', () => {
  const failed = () => {
    const driver = Object.assign(new Error('duplicate key value violates unique constraint "workers_mobile"'), {
      code: '23505', constraint: 'workers_mobile', table: 'workers', detail: 'Key (mobile)=(13812345678) already exists.',
    });
    return new QueryFailedError('INSERT INTO workers (mobile) VALUES ($1)', ['13812345678'], driver);
  };

  it('keeps the SQLSTATE and constraint of a failed statement, never its parameters, message, detail or query', () => {
    for (const given of [failed(), { type: 'QueryFailedError', message: 'x', raw: failed() }]) {
      const out = safeErrSerializer(given);
      expect(out).toEqual({ type: 'QueryFailedError', message: 'query failed (SQLSTATE 23505)', sqlstate: '23505', constraint: 'workers_mobile', table: 'workers', column: null });
      expect(JSON.stringify(out)).not.toMatch(/13812345678|INSERT|Key \(/);
    }
  });

  it('treats a raw node-postgres error the same way', () => {
    const pg = Object.assign(new Error('invalid input syntax for type uuid: "13812345678"'), { code: '22P02', severity: 'ERROR', routine: 'string_to_uuid' });
    expect(JSON.stringify(safeErrSerializer(pg))).not.toContain('13812345678');
  });

  it('leaves other errors readable', () => {
    const out = safeErrSerializer(new TypeError('boom')) as { type: string; message: string; stack: string };
    expect(out.type).toBe('TypeError');
    expect(out.message).toBe('boom');
    expect(out.stack).toContain('boom');
  });
});
