/**
 * `@linggong/console-ui/light` (issue 17 §10): what the pages opened on a weak phone signal take from the
 * kit — an icon component and the few icons it draws — without the kit's barrel (the list kit, ng-zorro's
 * table and forms) or ng-zorro's icon module (every icon the console uses, in one module).
 */
export * from './lib/light-icons';
export * from './lib/light-icon';
