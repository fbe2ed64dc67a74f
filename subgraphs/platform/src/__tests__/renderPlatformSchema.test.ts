import { parse, type ObjectTypeDefinitionNode } from 'graphql';
import { renderPlatformSchema } from '../renderPlatformSchema';

const objectTypes = (sdl: string) =>
  parse(sdl).definitions.filter((d): d is ObjectTypeDefinitionNode => d.kind === 'ObjectTypeDefinition').map((d) => d.name.value);

describe('renderPlatformSchema', () => {
  it('declares a key-only stub of every shared interface for each province', () => {
    const types = objectTypes(renderPlatformSchema());
    for (const prefix of ['Sichuan', 'Chongqing']) {
      for (const kind of ['Instrument', 'Lab', 'TalentCard', 'Booking', 'CardVerification']) expect(types).toContain(`${prefix}${kind}`);
    }
    expect(renderPlatformSchema()).toContain('enum Province { SICHUAN CHONGQING }');
  });

  it('leaves no placeholder unfilled', () => {
    expect(renderPlatformSchema()).not.toMatch(/\{\{/);
  });
});
