import { seededRandom } from './generator.ts';

const surnames =
  '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文';
const given = '伟芳娜秀敏静丽强磊军洋勇艳杰涛明超霞平刚桂英华玉兰萍红建国文斌志宏海波鹏辉晓燕丹婷雪梅琳慧颖亮俊峰鑫凯浩宇晨';

/** Deterministic Chinese names for the demo's cadres and apprentices, never the article's people. */
export function nameMaker(seed: string, reserved: readonly string[] = []) {
  const random = seededRandom(seed);
  const used = new Set(reserved);
  return (): string => {
    for (;;) {
      const pick = (chars: string) => chars[Math.floor(random() * chars.length)]!;
      const name = pick(surnames) + pick(given) + (random() < 0.6 ? pick(given) : '');
      if (!used.has(name)) {
        used.add(name);
        return name;
      }
    }
  };
}

/** District agencies whose cadres serve as governance secretaries (区委办局). */
export const fengtaiAgencies = [
  '丰台区住房和城乡建设委员会',
  '丰台区城市管理委员会',
  '丰台区民政局',
  '丰台区卫生健康委员会',
  '丰台区交通委员会',
  '丰台区市场监督管理局',
  '丰台区园林绿化局',
  '丰台区水务局',
  '丰台区司法局',
  '丰台区人力资源和社会保障局',
  '丰台区发展和改革委员会',
  '丰台区教育委员会',
  '丰台区委组织部',
  '丰台区委社会工作部',
  '丰台区生态环境局',
];

export const shijingshanAgencies = [
  '石景山区住房和城乡建设委员会',
  '石景山区城市管理委员会',
  '石景山区民政局',
  '石景山区卫生健康委员会',
  '石景山区市场监督管理局',
  '石景山区水务局',
  '石景山区委组织部',
  '石景山区委社会工作部',
  '石景山区人力资源和社会保障局',
  '石景山区教育委员会',
];

/** Units stationed in Shijingshan (驻区单位) and the two new organizations (两新组织). */
export const shijingshanOutsideUnits: Array<{ name: string; type: 'resident_unit' | 'new_economic_org' | 'new_social_org' }> = [
  { name: '大唐高井热电厂', type: 'resident_unit' },
  { name: '首钢集团有限公司', type: 'resident_unit' },
  { name: '北京燃气集团石景山分公司', type: 'resident_unit' },
  { name: '国网北京石景山供电公司', type: 'resident_unit' },
  { name: '北京京西发电有限责任公司', type: 'resident_unit' },
  { name: '中国航天科工集团第二研究院', type: 'resident_unit' },
  { name: '北京市石景山医院', type: 'resident_unit' },
  { name: '石景山万达广场', type: 'new_economic_org' },
  { name: '北京首钢园运营管理有限公司', type: 'new_economic_org' },
  { name: '中关村石景山园科技企业联合会', type: 'new_economic_org' },
  { name: '石景山区社区公益服务中心', type: 'new_social_org' },
  { name: '石景山区志愿服务联合会', type: 'new_social_org' },
  { name: '石景山区律师协会', type: 'new_social_org' },
];
