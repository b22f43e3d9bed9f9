import { ModulesContainer } from '@nestjs/core';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { PERMISSION_KEY } from '@linggong/api-core';
import { bootApp, type TestApp } from '../support/app';

/**
 * Guard coverage is mechanical (STYLE.md): every route declares a permission, and the table of
 * routes and permissions is a snapshot, so a reviewer sees any change to it.
 */
describe('route permissions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootApp();
  });
  afterAll(() => t.close());

  it('every controller route declares a permission, and the table is as reviewed', () => {
    const rows: string[] = [];
    const undeclared: string[] = [];
    for (const module of t.app.get(ModulesContainer).values()) {
      for (const wrapper of module.controllers.values()) {
        const ctor = wrapper.metatype as (new (...a: never[]) => unknown) | undefined;
        if (!ctor) continue;
        const base = String(Reflect.getMetadata(PATH_METADATA, ctor) ?? '');
        for (const name of Object.getOwnPropertyNames(ctor.prototype)) {
          const handler = (ctor.prototype as Record<string, unknown>)[name];
          if (name === 'constructor' || typeof handler !== 'function') continue;
          const path = Reflect.getMetadata(PATH_METADATA, handler);
          if (path === undefined) continue;
          const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
          const permission = Reflect.getMetadata(PERMISSION_KEY, handler);
          const route = `${method} /${[base, path].filter((p) => p && p !== '/').join('/')}`;
          if (permission === undefined) undeclared.push(route);
          rows.push(`${route} → ${Array.isArray(permission) ? permission.join(' ') : permission}`);
        }
      }
    }
    expect(undeclared).toEqual([]);
    expect(rows.sort()).toMatchSnapshot();
  });
});
