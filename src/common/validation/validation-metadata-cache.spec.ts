import { beforeAll, describe, expect, it } from '@jest/globals';
import 'reflect-metadata';
import { getMetadataStorage, IsInt, IsString, MaxLength, validateSync } from 'class-validator';
import { rememberValidationMetadata } from './validation-metadata-cache.js';

const problems = (object: object) => validateSync(object).flatMap((error) => Object.keys(error.constraints ?? {}));

describe('rememberValidationMetadata', () => {
  beforeAll(() => rememberValidationMetadata());

  it('looks a class up once, then answers with what it found', () => {
    class Remembered {
      @IsString() name!: unknown;
    }
    const storage = getMetadataStorage();
    const first = storage.getTargetValidationMetadatas(Remembered, undefined as never, false, false);
    expect(first.map((rule) => rule.propertyName)).toEqual(['name']);
    expect(storage.getTargetValidationMetadatas(Remembered, undefined as never, false, false)).toBe(first);
  });

  it('enforces a rule added after the class was first validated', () => {
    class Late {
      @IsString() name!: unknown;
    }
    expect(problems(Object.assign(new Late(), { name: 'abcdef' }))).toEqual([]);

    MaxLength(3)(Late.prototype, 'name');

    expect(problems(Object.assign(new Late(), { name: 'abcdef' }))).toEqual(['maxLength']);
  });

  it('keeps a parent class and its subclass apart, and gives the subclass its parent rules', () => {
    class Parent {
      @IsString() name!: unknown;
    }
    class Child extends Parent {
      @IsInt() count!: unknown;
    }
    expect(problems(Object.assign(new Parent(), { name: 'a', count: 'x' }))).toEqual([]);
    expect(problems(Object.assign(new Child(), { name: 'a', count: 'x' }))).toEqual(['isInt']);
    expect(problems(Object.assign(new Child(), { name: 1, count: 2 }))).toEqual(['isString']);
    expect(problems(Object.assign(new Parent(), { name: 1 }))).toEqual(['isString']);
  });
});
