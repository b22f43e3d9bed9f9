import { BadRequestException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { databaseUnavailable } from './problem.filter';

/** Which errors are an outage of the database (503) rather than a bug (500) or bad input (4xx): issue 12 §12. */
describe('databaseUnavailable', () => {
  const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });
  const queryFailed = (driverError: Error) => new QueryFailedError('SELECT 1', [], driverError);

  it('counts a refused connection, a server shutting down or starting up, and a lost connection', () => {
    expect(databaseUnavailable(pgError('ECONNREFUSED'))).toBe(true);
    expect(databaseUnavailable(queryFailed(pgError('57P01', 'terminating connection due to administrator command')))).toBe(true);
    expect(databaseUnavailable(queryFailed(pgError('57P03', 'the database system is starting up')))).toBe(true);
    expect(databaseUnavailable(queryFailed(pgError('08006')))).toBe(true);
    expect(databaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(databaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(databaseUnavailable(Object.assign(new Error('wrapped'), { cause: pgError('ECONNRESET') }))).toBe(true);
    const released = new Error('Query runner already released. Cannot run queries anymore.');
    released.name = 'QueryRunnerAlreadyReleasedError';
    expect(databaseUnavailable(released)).toBe(true);
  });

  it('does not count a request\'s own errors or a bug', () => {
    expect(databaseUnavailable(queryFailed(pgError('23505', 'duplicate key')))).toBe(false);
    expect(databaseUnavailable(queryFailed(pgError('42501', 'row-level security')))).toBe(false);
    expect(databaseUnavailable(queryFailed(pgError('42P01', 'relation does not exist')))).toBe(false);
    expect(databaseUnavailable(new TypeError('cannot read properties of undefined'))).toBe(false);
    expect(databaseUnavailable(new BadRequestException('Connection terminated'))).toBe(false);
    expect(databaseUnavailable(undefined)).toBe(false);
  });
});
