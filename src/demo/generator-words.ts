import type { AppealKind } from '../db/tables.ts';

/**
 * What synthetic appeals are made of: the default taxonomy's leaves with how often each top
 * class is called about, the words residents use, and names. Codes are those of
 * migrations/0020_appeal_categories.sql (a test checks every one exists).
 */
export interface TopCategory {
  code: string;
  nameZh: string;
  /** Share of calls outside the heating season; `winter` multiplies it from November to March. */
  weight: number;
  winter?: number;
  /** How often a call of this class ends solved, before any community's or period's modifier. */
  solve: number;
  leaves: Array<[code: string, nameZh: string]>;
  phrases: string[];
}

export const topCategories: TopCategory[] = [
  {
    code: 'property',
    nameZh: '物业管理',
    weight: 16,
    solve: 0.72,
    leaves: [
      ['property.service', '物业服务'],
      ['property.fee', '物业收费'],
      ['property.common_area', '公共区域维护'],
      ['property.renovation', '装修管理'],
    ],
    phrases: ['物业不作为，多次反映无人处理', '物业费上涨未公示', '楼道灯坏了很久没人修', '邻居装修不按规定时间施工'],
  },
  {
    code: 'parking',
    nameZh: '停车管理',
    weight: 10,
    solve: 0.55,
    leaves: [
      ['parking.shortage', '停车难'],
      ['parking.illegal', '违章停车'],
      ['parking.fee', '停车收费'],
      ['parking.ev_charging', '充电桩'],
    ],
    phrases: ['小区停车难，车位严重不足', '消防通道被私家车占用', '停车收费标准不清楚', '希望小区安装充电桩'],
  },
  {
    code: 'elevator',
    nameZh: '电梯',
    weight: 4,
    solve: 0.6,
    leaves: [
      ['elevator.fault', '电梯故障'],
      ['elevator.retrofit', '加装电梯'],
      ['elevator.renewal', '电梯更新'],
    ],
    phrases: ['电梯经常停运，老人上下楼困难', '老楼希望加装电梯', '电梯老旧需要更新改造'],
  },
  {
    code: 'heating',
    nameZh: '供暖',
    weight: 2.5,
    winter: 5,
    solve: 0.78,
    leaves: [
      ['heating.insufficient', '供暖不热'],
      ['heating.outage', '停暖'],
      ['heating.fee', '供暖收费'],
    ],
    phrases: ['家里暖气不热，室温不达标', '突然停暖，家中有老人孩子', '供暖费收取有疑问'],
  },
  {
    code: 'water',
    nameZh: '供水',
    weight: 6,
    solve: 0.8,
    leaves: [
      ['water.outage', '停水'],
      ['water.quality', '水质'],
      ['water.pressure', '水压不足'],
      ['water.leak', '管道漏水'],
    ],
    phrases: ['小区突然停水没有通知', '自来水发黄有异味', '高层水压不足', '楼下管道漏水'],
  },
  {
    code: 'electricity',
    nameZh: '供电',
    weight: 4,
    solve: 0.82,
    leaves: [
      ['electricity.outage', '停电'],
      ['electricity.wiring', '线路故障'],
    ],
    phrases: ['小区频繁停电', '楼道线路老化存在隐患'],
  },
  {
    code: 'gas',
    nameZh: '燃气',
    weight: 3,
    solve: 0.75,
    leaves: [
      ['gas.supply', '燃气供应'],
      ['gas.safety', '燃气安全'],
      ['gas.connection', '燃气入户'],
    ],
    phrases: ['燃气压力不稳定', '闻到燃气味，担心泄漏', '希望天然气入户，不再用液化气罐'],
  },
  {
    code: 'noise',
    nameZh: '噪声',
    weight: 8,
    solve: 0.6,
    leaves: [
      ['noise.construction', '施工噪声'],
      ['noise.commercial', '商业噪声'],
      ['noise.neighbourhood', '社会生活噪声'],
    ],
    phrases: ['夜间施工噪音扰民', '底商音响声音太大', '广场舞噪音扰民'],
  },
  {
    code: 'sanitation',
    nameZh: '环境卫生',
    weight: 8,
    solve: 0.74,
    leaves: [
      ['sanitation.garbage', '垃圾清运'],
      ['sanitation.sorting', '垃圾分类'],
      ['sanitation.clutter', '楼道堆物'],
      ['sanitation.public_toilet', '公厕'],
    ],
    phrases: ['垃圾桶满了没人清运', '垃圾分类站点设置不合理', '楼道堆放杂物存在消防隐患', '公厕卫生条件差'],
  },
  {
    code: 'housing',
    nameZh: '房屋住建',
    weight: 7,
    solve: 0.5,
    leaves: [
      ['housing.repair', '房屋修缮'],
      ['housing.old_community', '老旧小区改造'],
      ['housing.property_rights', '产权办证'],
    ],
    phrases: ['屋顶漏雨需要维修', '老旧小区改造进度慢', '房产证多年办不下来'],
  },
  {
    code: 'traffic',
    nameZh: '交通',
    weight: 6,
    solve: 0.62,
    leaves: [
      ['traffic.roads', '道路设施'],
      ['traffic.public_transport', '公共交通'],
      ['traffic.signals', '交通信号'],
    ],
    phrases: ['路面坑洼不平', '公交站点太远', '路口信号灯时间太短'],
  },
  {
    code: 'market',
    nameZh: '市场监管',
    weight: 6,
    solve: 0.7,
    leaves: [
      ['market.food_safety', '食品安全'],
      ['market.prices', '价格'],
      ['market.consumer_rights', '消费维权'],
    ],
    phrases: ['餐馆卫生条件差', '商品价格标示不清', '预付卡商家跑路'],
  },
  {
    code: 'social_security',
    nameZh: '社会保障',
    weight: 4,
    solve: 0.7,
    leaves: [
      ['social_security.pension', '养老保险'],
      ['social_security.medical_insurance', '医疗保险'],
      ['social_security.employment', '就业'],
      ['social_security.assistance', '社会救助'],
    ],
    phrases: ['养老金发放有疑问', '医保报销流程不清楚', '咨询就业补贴政策', '申请低保手续复杂'],
  },
  {
    code: 'education',
    nameZh: '教育',
    weight: 2,
    solve: 0.65,
    leaves: [
      ['education.enrolment', '入学'],
      ['education.tutoring', '校外培训'],
    ],
    phrases: ['孩子入学划片有疑问', '校外培训机构退费难'],
  },
  {
    code: 'health',
    nameZh: '医疗卫生',
    weight: 3,
    solve: 0.68,
    leaves: [
      ['health.hospital', '医院服务'],
      ['health.epidemic', '疫情防控'],
    ],
    phrases: ['医院挂号难', '咨询防控政策'],
  },
  {
    code: 'city_management',
    nameZh: '城市管理',
    weight: 7,
    solve: 0.58,
    leaves: [
      ['city_management.illegal_construction', '违法建设'],
      ['city_management.street_vending', '占道经营'],
      ['city_management.greening', '园林绿化'],
      ['city_management.street_lighting', '路灯照明'],
    ],
    phrases: ['小区内私搭乱建', '门口占道经营影响通行', '树木遮挡采光需要修剪', '路灯不亮'],
  },
  { code: 'other', nameZh: '其他', weight: 3, solve: 0.6, leaves: [['other', '其他']], phrases: ['其他问题咨询'] },
];

export const kindShares: Array<[AppealKind, number, string]> = [
  ['complaint', 0.45, '投诉'],
  ['help', 0.3, '求助'],
  ['consultation', 0.13, '咨询'],
  ['suggestion', 0.06, '建议'],
  ['report', 0.05, '举报'],
  ['praise', 0.01, '表扬'],
];

/** Which unit a class of appeal goes to: the street office, or the utility or department responsible. */
export const handlerOf: Record<string, { name: string; type: 'street' | 'utility' | 'department' }> = {
  heating: { name: '北京市热力集团', type: 'utility' },
  water: { name: '北京市自来水集团', type: 'utility' },
  electricity: { name: '国网北京市电力公司', type: 'utility' },
  gas: { name: '北京市燃气集团', type: 'utility' },
  market: { name: '区市场监督管理局', type: 'department' },
  social_security: { name: '区人力资源和社会保障局', type: 'department' },
  education: { name: '区教育委员会', type: 'department' },
  health: { name: '区卫生健康委员会', type: 'department' },
  traffic: { name: '区交通委员会', type: 'department' },
};

export const surnames =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
export const givenChars = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰文建国红梅海波鹏辉宇浩云凤婷飞雪琳颖俊晨欣';
