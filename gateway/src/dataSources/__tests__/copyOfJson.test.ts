import { copyOfJson } from '../InFlightQueries';

describe('copyOfJson', () => {
  it('copies every object and array of parsed JSON, sharing none with the original', () => {
    const original = JSON.parse('{"data":{"edges":[{"node":{"id":"1","tags":["a",null,2.5,true]}}],"empty":{},"none":null},"errors":[]}');
    const copy = copyOfJson(original);
    expect(copy).toEqual(original);
    copy.data.edges[0].node.tags.push('b');
    copy.data.edges[0].node.id = '2';
    copy.data.empty.added = 1;
    expect(original).toEqual(JSON.parse('{"data":{"edges":[{"node":{"id":"1","tags":["a",null,2.5,true]}}],"empty":{},"none":null},"errors":[]}'));
  });

  it('keeps a field named __proto__ as a field, never as the copy\'s prototype', () => {
    const copy = copyOfJson(JSON.parse('{"node":{"__proto__":{"admin":true},"name":"x"}}'));
    expect(Object.getPrototypeOf(copy.node)).toBe(Object.prototype);
    expect(copy.node.admin).toBeUndefined();
    expect(Object.keys(copy.node)).toEqual(['__proto__', 'name']);
    expect(JSON.stringify(copy)).toBe('{"node":{"__proto__":{"admin":true},"name":"x"}}');
  });
});
