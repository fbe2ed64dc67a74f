import { fillSchemaTemplate } from '../fillSchemaTemplate';
import { PROVINCES } from '../provinces';

const both = [PROVINCES.sichuan, PROVINCES.chongqing];

describe('fillSchemaTemplate', () => {
  it('repeats an eachProvince block once per province, in the order given', () => {
    const template = 'interface Lab { id: ID! }\n{{#eachProvince}}\ntype {{P}}Lab implements Lab { id: ID! } # {{pfx}}:lab:…\n{{/eachProvince}}\nscalar X\n';
    expect(fillSchemaTemplate(template, {}, both)).toBe(
      'interface Lab { id: ID! }\ntype SichuanLab implements Lab { id: ID! } # sc:lab:…\ntype ChongqingLab implements Lab { id: ID! } # cq:lab:…\nscalar X\n',
    );
  });

  it('fills the given values and the enum of every province code', () => {
    expect(fillSchemaTemplate('enum Province { {{provinceCodes}} }\ntype {{P}}X', { P: 'Sichuan' }, [])).toBe('enum Province { SICHUAN CHONGQING }\ntype SichuanX');
  });

  it('refuses a placeholder it does not know', () => {
    expect(() => fillSchemaTemplate('type {{Q}}Lab', { P: 'Sichuan' }, both)).toThrow('unknown placeholder {{Q}}');
  });
});
