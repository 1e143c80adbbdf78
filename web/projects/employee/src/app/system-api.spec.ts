import { filterParams } from './system-api';

describe('filterParams', () => {
  it('sends only the filters the user set, trimmed', () => {
    const params = filterParams({ level: 'error', service: '', q: '  booking ', limit: 200, status: undefined });
    expect(params.keys()).toEqual(['level', 'q', 'limit']);
    expect(params.get('q')).toBe('booking');
    expect(params.get('limit')).toBe('200');
  });
});
