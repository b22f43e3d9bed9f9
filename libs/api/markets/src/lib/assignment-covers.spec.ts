import type { EntityManager } from 'typeorm';
import { ProblemException } from '@linggong/api-core';
import { AssignmentCovers } from './assignment-covers';

const em = {} as EntityManager;
const q = { marketId: 'm', operatorId: 'o', regionCode: '410122' };

describe('AssignmentCovers (issue 15 §1)', () => {
  it('with no cover registered nothing is covered: the assignment is refused with market_not_covered', async () => {
    const covers = new AssignmentCovers();
    expect(await covers.isCovered(em, q)).toBe(false);
    await expect(covers.require(em, q)).rejects.toMatchObject({ status: 422, key: 'market_not_covered', errors: [{ field: 'operatorId', key: 'market_not_covered' }] });
    await expect(covers.require(em, q, 'contractId')).rejects.toBeInstanceOf(ProblemException);
  });

  it('a market is covered when a registered cover says so; a name registers once', async () => {
    const covers = new AssignmentCovers();
    const asked: string[] = [];
    covers.register({ name: 'no', covers: async () => { asked.push('no'); return false; } });
    covers.register({ name: 'no', covers: async () => { asked.push('no again'); return true; } });
    expect(await covers.isCovered(em, q)).toBe(false);
    covers.register({ name: 'yes', covers: async (_em, x) => x.operatorId === 'o' });
    await expect(covers.require(em, q)).resolves.toBeUndefined();
    expect(asked).toEqual(['no', 'no']);
  });
});
