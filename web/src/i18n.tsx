import { setApiLanguage } from './api.ts';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { appealsEn, appealsZh } from './pages/appeals/strings.ts';
import { dashboardEn, dashboardZh } from './pages/dashboard/strings.ts';
import { evaluationEn, evaluationZh } from './pages/evaluation/strings.ts';
import { programsEn, programsZh } from './pages/programs/strings.ts';
import { projectsEn, projectsZh } from './pages/projects/strings.ts';
import { open311En, open311Zh } from './pages/open311/strings.ts';

// Chinese is the first language; every key must exist in both dictionaries (the `en` type
// enforces it), so a missing translation is a compile error rather than a blank label.
const zh = {
  'app.name': '必答题 mustanswer',
  'app.tagline': '接诉即办 · 基层治理',
  'lang.label': '语言',

  'nav.overview': '概览',
  'nav.appeals': '诉求工单',
  'nav.evaluation': '三率评价',
  'nav.programs': '书记项目',
  'nav.projects': '攻坚项目',
  'nav.geo': '地理区划',

  'comingSoon.title': '此功能正在建设中',
  'comingSoon.subtitle': '「{name}」尚未上线，敬请期待。',
  'comingSoon.back': '返回概览',
  'notFound.title': '页面不存在',
  'notFound.subtitle': '您访问的地址没有对应的页面。',

  'overview.title': '必答题：让每一件诉求都有回应',
  'overview.lead':
    '必答题服务于北京 12345 市民服务热线的"接诉即办"。它从热线诉求中找出问题反复出现的社区，支持向这些社区选派干部，跟踪他们攻坚的难题，并检验居民的诉求是否真正得到解决。',
  'overview.point.rates': '三率评价：按社区、街道、区统计响应率、解决率、满意率，每月排名。',
  'overview.point.key': '重点社区：找出诉求最集中的治理类重点村社，形成重点名单。',
  'overview.point.secretaries': '治理书记与第一书记：按批次选派干部驻点，记录在岗天数、接任与续任、带徒弟。',
  'overview.point.projects': '攻坚"硬骨头"：跟踪停车、加装电梯、燃气入户等难题的参与单位、议事协商、里程碑、资金与成果。',
  'overview.point.impact': '成效评估：用派驻前后的诉求数据对比，衡量是否见效。',
  'overview.geo.title': '从地理区划开始',
  'overview.geo.text': '浏览北京市的区、街道(乡镇)和社区(村)，查看区划代码，维护社区常住人口、户数、楼栋数等基本情况。',
  'overview.geo.link': '打开地理区划',
  'health.title': '服务状态',
  'health.ok': '后端运行正常',
  'health.down': '无法连接后端服务',
  'health.backend': '数据库',
  'health.version': '版本',

  'level.province': '省',
  'level.city': '市',
  'level.district': '区',
  'level.street': '街道(乡镇)',
  'level.community': '社区(村)',

  'geo.title': '地理区划',
  'geo.searchPlaceholder': '搜索街道、社区名称或拼音首字母',
  'geo.searchTotal': '共 {n} 条结果',
  'geo.searchEmpty': '没有匹配的区划',
  'geo.division': '区划',
  'geo.browse': '按区划浏览',
  'geo.loadMore': '加载更多（还有 {n} 个）',
  'geo.selectHint': '在左侧搜索或浏览，选择一个区划查看详情。',
  'geo.notFound': '未找到代码为 {code} 的区划',
  'geo.notFoundHint': '请检查代码，或在左侧搜索名称。',
  'geo.field.name': '名称',
  'geo.field.shortName': '简称',
  'geo.field.code': '区划代码',
  'geo.field.fullCode': '12 位代码',
  'geo.field.level': '级别',
  'geo.field.parent': '上级区划',
  'geo.field.childCount': '下级区划数',
  'geo.children': '下级区划',

  'profile.title': '社区基本情况',
  'profile.residents': '常住人口',
  'profile.households': '户数',
  'profile.buildings': '楼栋数',
  'profile.notes': '备注',
  'profile.notesPlaceholder': '如：老旧小区，停车位紧张',
  'profile.unit.residents': '人',
  'profile.unit.households': '户',
  'profile.unit.buildings': '栋',
  'profile.save': '保存',
  'profile.saved': '已保存',
  'profile.invalid': '保存失败，请检查标出的字段',
  'profile.updated': '最近更新：{time}，更新人：{by}',
  'profile.neverUpdated': '尚未填写',
  'profile.unknownUser': '未知',

  'auth.login': '登录',
  'auth.logout': '退出登录',
  'auth.cancel': '取消',
  'auth.title': '登录必答题',
  'auth.loginName': '登录名',
  'auth.password': '密码',
  'auth.loginNameRequired': '请填写登录名',
  'auth.passwordRequired': '请填写密码',
  'auth.scope': '管辖范围：{scope}',
  'auth.role': '角色：{role}',
  'role.admin': '系统管理员',
  'role.org_department': '区委组织部',
  'role.hotline_office': '接诉即办办公室',
  'role.street_office': '街道办事处',
  'role.community_committee': '社区居委会',
  'role.secretary': '治理书记 / 第一书记',
  'role.department_handler': '职能部门',
  'role.viewer': '只读用户',
  'profile.loginRequired': '登录后可查看和编辑社区基本情况。',
  'profile.noRead': '当前角色无权查看社区基本情况。',
  'profile.readOnly': '当前角色只能查看，不能修改社区基本情况。',

  'nav.admin': '系统管理',
  'nav.adminUsers': '用户管理',
  'nav.audit': '审计日志',

  'login.subtitle': '请使用系统管理员为您创建的账号登录',
  'login.wrong': '登录名或密码错误',
  'login.tooMany': '登录尝试过于频繁，请 {seconds} 秒后再试',
  'login.tooManyLater': '登录尝试过于频繁，请稍后再试',
  'login.network': '无法连接服务器，请检查网络后重试',
  'login.help': '账号由系统管理员创建；忘记密码请联系系统管理员。',
  'login.back': '返回首页',
  'auth.unit': '单位：{unit}',
  'auth.loggedOut': '已退出登录',

  'access.forbiddenTitle': '无权访问',
  'access.forbidden': '当前角色（{role}）不能使用「{page}」。',
  'profile.outOfScopeHint': '您的管辖范围是{scope}，只能查看和维护该范围内的社区。',

  'users.title': '用户管理',
  'users.subtitle': '账号、角色与管辖范围：每个用户只能看到并修改其管辖范围内的数据。',
  'users.new': '新建用户',
  'users.col.login': '登录名',
  'users.col.name': '姓名',
  'users.col.role': '角色',
  'users.col.scope': '管辖范围',
  'users.col.unit': '单位',
  'users.col.status': '状态',
  'users.col.actions': '操作',
  'users.enabled': '启用',
  'users.disabled': '已停用',
  'users.self': '不能停用自己的账号',
  'users.disableConfirm': '停用用户「{name}」？',
  'users.disableConfirmText': '停用后该用户立即退出登录，在重新启用前不能再登录，其 API 令牌也随之失效。',
  'users.disableOk': '停用',
  'users.issueToken': '签发 API 令牌',
  'users.tokenTitle': '为 {name} 签发 API 令牌',
  'users.tokenHint': '令牌供机器客户端（如 12345 热线系统推送工单）使用，以该用户的角色和管辖范围访问接口。',
  'users.tokenName': '令牌名称',
  'users.tokenNamePlaceholder': '如：12345 热线系统对接',
  'users.tokenNameRequired': '请填写令牌名称',
  'users.issue': '签发',
  'users.loadMore': '加载更多',
  'users.shown': '已显示 {n} 个用户',
  'users.allShown': '共 {n} 个用户',
  'users.justCreated': '新',
  'users.empty': '还没有用户',
  'users.form.title': '新建用户',
  'users.form.login': '登录名',
  'users.form.loginPlaceholder': '字母、数字或 _.@-，如 zhangsan',
  'users.form.loginRequired': '请填写登录名',
  'users.form.loginPattern': '应为 2–64 个字母、数字或 _.@-',
  'users.form.name': '姓名',
  'users.form.namePlaceholder': '如：张三（不填则用登录名）',
  'users.form.role': '角色',
  'users.form.roleRequired': '请选择角色',
  'users.form.scope': '管辖范围',
  'users.form.scopePlaceholder': '搜索区、街道或社区，如 六里桥',
  'users.form.scopeRequired': '请选择管辖范围',
  'users.form.scopeHint': '用户只能看到并修改该区划内的数据；选“北京市”即全市。',
  'users.form.unit': '单位',
  'users.form.unitPlaceholder': '如：六里桥街道办事处（选填）',
  'users.form.password': '初始密码',
  'users.form.passwordHint': '选填：不填则由系统生成随机密码，只显示一次。',
  'users.form.passwordMin': '至少 10 个字符',
  'users.form.submit': '创建',
  'users.form.failed': '创建失败，请检查标出的字段',
  'users.created': '已创建用户 {login}',

  'secret.passwordTitle': '已创建用户 {login}',
  'secret.passwordLabel': '初始密码',
  'secret.tokenTitle': '已签发 API 令牌「{name}」',
  'secret.tokenLabel': '令牌',
  'secret.once': '只显示这一次',
  'secret.onceText': '关闭后无法再次查看。请现在复制，并通过安全的渠道交给使用者。',
  'secret.copy': '复制',
  'secret.copied': '已复制',
  'secret.copyFailed': '复制失败，请手动选中后复制',
  'secret.done': '我已保存',

  'audit.title': '审计日志',
  'audit.subtitle': '每一次修改的记录：谁、何时、做了什么。时间均为北京时间。',
  'audit.actor': '操作人',
  'audit.actorPlaceholder': '登录名',
  'audit.action': '操作',
  'audit.entityType': '对象类型',
  'audit.range': '日期',
  'audit.search': '查询',
  'audit.reset': '重置',
  'audit.export': '导出 CSV',
  'audit.col.at': '时间（北京时间）',
  'audit.col.actor': '操作人',
  'audit.col.action': '操作',
  'audit.col.entity': '对象',
  'audit.col.changes': '内容',
  'audit.loadMore': '加载更多',
  'audit.shown': '已显示 {n} 条',
  'audit.allShown': '共 {n} 条',
  'audit.empty': '没有符合条件的记录',
  'audit.any': '全部',
  'audit.action.auth.login': '登录',
  'audit.action.auth.login_failed': '登录失败',
  'audit.action.auth.logout': '退出登录',
  'audit.action.user.create': '新建用户',
  'audit.action.user.update': '修改用户',
  'audit.action.user.disable': '停用用户',
  'audit.action.api_token.create': '签发 API 令牌',
  'audit.action.api_token.revoke': '吊销 API 令牌',
  'audit.action.community_profile.create': '填写社区档案',
  'audit.action.community_profile.update': '修改社区档案',
  'audit.entity.user': '用户',
  'audit.entity.community_profile': '社区档案',
  'audit.entity.appeal': '诉求工单',

  'error.network': '无法连接服务器，请稍后重试',
  'error.generic': '请求失败',
  'time.zone': '北京时间',
  ...appealsZh,
  ...evaluationZh,
  ...dashboardZh,
  ...programsZh,
  ...projectsZh,
  ...open311Zh,
} as const;

type Key = keyof typeof zh;

const en: Record<Key, string> = {
  'app.name': '必答题 mustanswer',
  'app.tagline': 'Swift response · community governance',
  'lang.label': 'Language',

  'nav.overview': 'Overview',
  'nav.appeals': 'Appeals',
  'nav.evaluation': 'Evaluation',
  'nav.programs': 'Programs',
  'nav.projects': 'Projects',
  'nav.geo': 'Geography',

  'comingSoon.title': 'Coming soon',
  'comingSoon.subtitle': '"{name}" is not available yet.',
  'comingSoon.back': 'Back to overview',
  'notFound.title': 'Page not found',
  'notFound.subtitle': 'No page lives at this address.',

  'overview.title': 'mustanswer: every appeal gets an answer',
  'overview.lead':
    'mustanswer supports Beijing\'s 12345 citizen hotline and its "swift response to complaints". It finds the communities whose problems keep coming back, helps post cadres to them, tracks the hard problems they take on, and checks whether residents\' appeals were really solved.',
  'overview.point.rates':
    'The three rates: response, resolution and satisfaction rates per community, street and district, ranked every month.',
  'overview.point.key': 'Key communities: the communities and villages with the most appeals, kept as a list for extra attention.',
  'overview.point.secretaries':
    'Governance secretaries and first secretaries: cadres posted by batch, with on-site days, successions, renewals and apprentices.',
  'overview.point.projects':
    'Hard-nut projects: parking, elevators, gas to households… with stakeholders, resident consultations, milestones, funds and results.',
  'overview.point.impact': 'Impact: appeal figures before and after a posting show whether it worked.',
  'overview.geo.title': 'Start with geography',
  'overview.geo.text':
    "Browse Beijing's districts, streets (towns) and communities (villages), look up division codes, and keep each community's residents, households and buildings up to date.",
  'overview.geo.link': 'Open Geography',
  'health.title': 'Service status',
  'health.ok': 'Backend is running',
  'health.down': 'Cannot reach the backend',
  'health.backend': 'Database',
  'health.version': 'Version',

  'level.province': 'Province',
  'level.city': 'City',
  'level.district': 'District',
  'level.street': 'Street (town)',
  'level.community': 'Community (village)',

  'geo.title': 'Geography',
  'geo.searchPlaceholder': 'Name or pinyin initials, e.g. jtjy',
  'geo.searchTotal': '{n} results',
  'geo.searchEmpty': 'No matching division',
  'geo.division': 'Division',
  'geo.browse': 'Browse',
  'geo.loadMore': 'Load more ({n} left)',
  'geo.selectHint': 'Search or browse on the left and pick a division to see its details.',
  'geo.notFound': 'No division with code {code}',
  'geo.notFoundHint': 'Check the code, or search by name on the left.',
  'geo.field.name': 'Name',
  'geo.field.shortName': 'Short name',
  'geo.field.code': 'Code',
  'geo.field.fullCode': '12-digit code',
  'geo.field.level': 'Level',
  'geo.field.parent': 'Parent',
  'geo.field.childCount': 'Subdivisions',
  'geo.children': 'Subdivisions',

  'profile.title': 'Community profile',
  'profile.residents': 'Residents',
  'profile.households': 'Households',
  'profile.buildings': 'Buildings',
  'profile.notes': 'Notes',
  'profile.notesPlaceholder': 'e.g. old estate, short of parking',
  'profile.unit.residents': 'people',
  'profile.unit.households': 'households',
  'profile.unit.buildings': 'buildings',
  'profile.save': 'Save',
  'profile.saved': 'Saved',
  'profile.invalid': 'Not saved: please check the marked fields',
  'profile.updated': 'Last updated {time} by {by}',
  'profile.neverUpdated': 'Not filled in yet',
  'profile.unknownUser': 'unknown',

  'auth.login': 'Log in',
  'auth.logout': 'Log out',
  'auth.cancel': 'Cancel',
  'auth.title': 'Log in to mustanswer',
  'auth.loginName': 'Login name',
  'auth.password': 'Password',
  'auth.loginNameRequired': 'Please enter your login name',
  'auth.passwordRequired': 'Please enter your password',
  'auth.scope': 'Scope: {scope}',
  'auth.role': 'Role: {role}',
  'role.admin': 'Administrator',
  'role.org_department': 'Organization department',
  'role.hotline_office': 'Hotline office',
  'role.street_office': 'Street office',
  'role.community_committee': 'Community committee',
  'role.secretary': 'Secretary',
  'role.department_handler': 'Department handler',
  'role.viewer': 'Read-only user',
  'profile.loginRequired': 'Log in to see and edit community profiles.',
  'profile.noRead': 'Your role may not see community profiles.',
  'profile.readOnly': 'Your role may read but not change community profiles.',

  'nav.admin': 'Administration',
  'nav.adminUsers': 'Users',
  'nav.audit': 'Audit log',

  'login.subtitle': 'Log in with the account your administrator created for you',
  'login.wrong': 'Wrong login name or password',
  'login.tooMany': 'Too many login attempts; try again in {seconds} seconds',
  'login.tooManyLater': 'Too many login attempts; please try again later',
  'login.network': 'Cannot reach the server; check your network and try again',
  'login.help': 'Accounts are created by an administrator; if you forgot your password, ask them.',
  'login.back': 'Back to home',
  'auth.unit': 'Unit: {unit}',
  'auth.loggedOut': 'Logged out',

  'access.forbiddenTitle': 'No access',
  'access.forbidden': 'Your role ({role}) may not use "{page}".',
  'profile.outOfScopeHint': 'Your scope is {scope}; you can see and edit only the communities inside it.',

  'users.title': 'Users',
  'users.subtitle': 'Accounts, roles and scopes: each user sees and changes only what lies inside their scope.',
  'users.new': 'New user',
  'users.col.login': 'Login',
  'users.col.name': 'Name',
  'users.col.role': 'Role',
  'users.col.scope': 'Scope',
  'users.col.unit': 'Unit',
  'users.col.status': 'Status',
  'users.col.actions': 'Actions',
  'users.enabled': 'Active',
  'users.disabled': 'Disabled',
  'users.self': 'You cannot disable your own account',
  'users.disableConfirm': 'Disable "{name}"?',
  'users.disableConfirmText': 'They are logged out at once and cannot log in again, nor use their API tokens, until re-enabled.',
  'users.disableOk': 'Disable',
  'users.issueToken': 'Issue API token',
  'users.tokenTitle': 'Issue an API token for {name}',
  'users.tokenHint': "Tokens are for machine clients (a hotline system pushing work orders); they act with this user's role and scope.",
  'users.tokenName': 'Token name',
  'users.tokenNamePlaceholder': 'e.g. 12345 hotline feed',
  'users.tokenNameRequired': 'Please name the token',
  'users.issue': 'Issue',
  'users.loadMore': 'Load more',
  'users.shown': '{n} users shown',
  'users.allShown': '{n} users',
  'users.justCreated': 'new',
  'users.empty': 'No users yet',
  'users.form.title': 'New user',
  'users.form.login': 'Login name',
  'users.form.loginPlaceholder': 'letters, digits or _.@-, e.g. zhangsan',
  'users.form.loginRequired': 'Please enter a login name',
  'users.form.loginPattern': '2–64 letters, digits or _.@-',
  'users.form.name': 'Name',
  'users.form.namePlaceholder': 'e.g. Zhang San (defaults to the login)',
  'users.form.role': 'Role',
  'users.form.roleRequired': 'Please pick a role',
  'users.form.scope': 'Scope',
  'users.form.scopePlaceholder': 'Search a district, street or community',
  'users.form.scopeRequired': 'Please pick a scope',
  'users.form.scopeHint': 'The user sees and changes only what lies inside this division; 北京市 is the whole city.',
  'users.form.unit': 'Unit',
  'users.form.unitPlaceholder': 'e.g. Liuliqiao street office (optional)',
  'users.form.password': 'Initial password',
  'users.form.passwordHint': 'Optional: left empty, a random password is generated and shown once.',
  'users.form.passwordMin': 'At least 10 characters',
  'users.form.submit': 'Create',
  'users.form.failed': 'Not created: please check the marked fields',
  'users.created': 'User {login} created',

  'secret.passwordTitle': 'User {login} created',
  'secret.passwordLabel': 'Initial password',
  'secret.tokenTitle': 'API token "{name}" issued',
  'secret.tokenLabel': 'Token',
  'secret.once': 'Shown only once',
  'secret.onceText': 'It cannot be shown again after you close this. Copy it now and hand it over by a safe channel.',
  'secret.copy': 'Copy',
  'secret.copied': 'Copied',
  'secret.copyFailed': 'Could not copy; please select the text and copy it',
  'secret.done': 'I have saved it',

  'audit.title': 'Audit log',
  'audit.subtitle': 'Every change: who, when and what. Times are Beijing time.',
  'audit.actor': 'Actor',
  'audit.actorPlaceholder': 'login name',
  'audit.action': 'Action',
  'audit.entityType': 'Entity type',
  'audit.range': 'Dates',
  'audit.search': 'Search',
  'audit.reset': 'Reset',
  'audit.export': 'Export CSV',
  'audit.col.at': 'Time (Beijing)',
  'audit.col.actor': 'Actor',
  'audit.col.action': 'Action',
  'audit.col.entity': 'Entity',
  'audit.col.changes': 'Details',
  'audit.loadMore': 'Load more',
  'audit.shown': '{n} entries shown',
  'audit.allShown': '{n} entries',
  'audit.empty': 'No matching entries',
  'audit.any': 'Any',
  'audit.action.auth.login': 'Log in',
  'audit.action.auth.login_failed': 'Failed login',
  'audit.action.auth.logout': 'Log out',
  'audit.action.user.create': 'Create user',
  'audit.action.user.update': 'Change user',
  'audit.action.user.disable': 'Disable user',
  'audit.action.api_token.create': 'Issue API token',
  'audit.action.api_token.revoke': 'Revoke API token',
  'audit.action.community_profile.create': 'Fill in community profile',
  'audit.action.community_profile.update': 'Change community profile',
  'audit.entity.user': 'User',
  'audit.entity.community_profile': 'Community profile',
  'audit.entity.appeal': 'Appeal',

  'error.network': 'Cannot reach the server, please try again later',
  'error.generic': 'Request failed',
  'time.zone': 'Beijing time',
  ...appealsEn,
  ...evaluationEn,
  ...dashboardEn,
  ...programsEn,
  ...projectsEn,
  ...open311En,
};

export type Lang = 'zh' | 'en';
export type TKey = Key;
export type TFunction = (key: TKey, vars?: Record<string, string | number>) => string;

const dictionaries: Record<Lang, Record<Key, string>> = { zh, en };
const STORAGE_KEY = 'mustanswer.lang';

function storedLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    // Storage can be blocked (privacy mode); Chinese is the default anyway.
    return 'zh';
  }
}

// The API client learns the language here and in setLang, not in an effect: child effects
// run before the provider's, and their first requests must already carry the right language.
function initialLang(): Lang {
  const lang = storedLang();
  setApiLanguage(lang);
  return lang;
}

interface I18nValue {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: TFunction;
}

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);

  const setLang = useCallback((next: Lang) => {
    setApiLanguage(next);
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not persisting is acceptable; the switch still works for this visit.
    }
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);

  const t = useCallback<TFunction>(
    (key, vars) => {
      const template = dictionaries[lang][key];
      if (!vars) return template;
      return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
    },
    [lang],
  );

  const value = useMemo(() => ({ lang, setLang, t }), [lang, setLang, t]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n must be used inside <I18nProvider>');
  return value;
}

export function useT(): TFunction {
  return useI18n().t;
}
