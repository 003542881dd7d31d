/**
 * A `ValidationError` is recognised across two installed copies of the package (issue 18): an app whose own
 * library depends on another version of aks-waf-mtls-edge loads two copies, each with its own class, so
 * `instanceof` is false for the other copy's errors. `ValidationError.isValidationError` reads a `Symbol.for` brand
 * instead. Two copies here: the library as jest loads it, and a second load of the same sources in an isolated
 * module registry (a fresh copy of every module, cdk8s and constructs included, as a second installed copy has).
 */
import * as copyA from '../../lib';

type Library = typeof copyA;

function secondCopy(): Library {
  let lib: Library | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    lib = require('../../lib') as Library;
  });
  return lib!;
}

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

const copyB = secondCopy();
const badPolicy = { denySourceIps: [{ sources: ['34.242.209.999'] }] };

describe('ValidationError across two copies of the package', () => {
  test("the second load is a separate copy: its class is not the first one's, and instanceof fails across them", () => {
    expect(copyB.ValidationError).not.toBe(copyA.ValidationError);
    const fromB = thrownBy(() => new copyB.WafPolicy(badPolicy));
    expect(fromB instanceof copyB.ValidationError).toBe(true);
    expect(fromB instanceof copyA.ValidationError).toBe(false);
  });

  test('isValidationError of either copy recognises an error thrown by the other', () => {
    const fromA = thrownBy(() => new copyA.WafPolicy(badPolicy));
    const fromB = thrownBy(() => new copyB.WafPolicy(badPolicy));
    for (const err of [fromA, fromB]) {
      expect(copyA.ValidationError.isValidationError(err)).toBe(true);
      expect(copyB.ValidationError.isValidationError(err)).toBe(true);
    }
    expect(copyA.ValidationError.isValidationError(fromB) && fromB.field).toBe('waf.denySourceIps[0].sources[0]');
  });

  test('rejects look-alikes: a plain Error named ValidationError, an object with its fields, a wrong brand value', () => {
    const named = Object.assign(new Error('x'), { name: 'ValidationError', field: 'a', value: 1, fix: 'b' });
    const forged = { [Symbol.for('aks-waf-mtls-edge.ValidationError')]: 'yes', field: 'a' };
    const localSymbol = { [Symbol('aks-waf-mtls-edge.ValidationError')]: true };
    for (const x of [named, forged, localSymbol, { ...named }, null, undefined, 'ValidationError', 42]) {
      expect(copyA.ValidationError.isValidationError(x)).toBe(false);
    }
  });

  test('the brand is a non-enumerable own property: a spread copy of the error is not a ValidationError', () => {
    const err = thrownBy(() => new copyA.WafPolicy(badPolicy)) as object;
    const brand = Object.getOwnPropertyDescriptor(err, Symbol.for('aks-waf-mtls-edge.ValidationError'));
    expect(brand).toMatchObject({ value: true, enumerable: false, writable: false });
    expect(copyA.ValidationError.isValidationError({ ...err })).toBe(false);
  });
});
