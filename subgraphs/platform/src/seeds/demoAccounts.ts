import { seededUserId, type ProvinceKey, type Role } from '../../../../shared/src';

/** The one password of every demo account (embedded demo only; never created in production). */
export const DEMO_PASSWORD = 'shuangcheng-demo';

export interface DemoAccount {
  readonly username: string;
  readonly displayName: string;
  readonly homeProvince: ProvinceKey | null;
  readonly roles: Role[];
  readonly description: string;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { username: 'li.wei', displayName: 'Li Wei', homeProvince: 'sichuan', roles: ['researcher'], description: 'Sichuan researcher holding a Tianfu Talent Card' },
  { username: 'chen.jing', displayName: 'Chen Jing', homeProvince: 'chongqing', roles: ['researcher'], description: 'Chongqing researcher holding a Chongqing Talent Service Card' },
  { username: 'sc.admin', displayName: 'Sichuan Registry Admin', homeProvince: 'sichuan', roles: ['province_admin'], description: 'Sichuan province admin' },
  { username: 'cq.admin', displayName: 'Chongqing Registry Admin', homeProvince: 'chongqing', roles: ['province_admin'], description: 'Chongqing province admin' },
  { username: 'platform.admin', displayName: 'Platform Admin', homeProvince: null, roles: ['platform_admin'], description: 'Platform admin' },
];

export const DEMO_PARTNER_CLIENT = {
  clientId: 'demo-partner',
  clientSecret: 'shuangcheng-demo-secret',
  name: 'Demo testing centre and talent service desk',
  scopes: ['catalog:read', 'card:verify'],
} as const;

/** A read-only client for wall dashboards: it may read the public catalogue and figures, nothing else. */
export const DEMO_DASHBOARD_CLIENT = {
  clientId: 'demo-dashboard',
  clientSecret: 'shuangcheng-dashboard-secret',
  name: 'Science and technology bureau wall dashboard (read-only)',
  scopes: ['catalog:read'],
} as const;
