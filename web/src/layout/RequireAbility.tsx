import { Button, Result, Spin } from 'antd';
import type { ComponentType, ReactNode } from 'react';
import { Link, Navigate, useLocation } from 'react-router-dom';
import { loginPath, roleKey, useAuth } from '../auth.tsx';
import { useT, type TKey } from '../i18n.tsx';

/**
 * A page for roles with one ability: a visitor is sent to the login page (and brought back),
 * a logged-in user without it is told so. The server refuses the data either way.
 */
export function RequireAbility({ ability, pageKey, children }: { ability: string; pageKey: TKey; children: ReactNode }) {
  const t = useT();
  const location = useLocation();
  const { state, can } = useAuth();
  if (state.kind === 'loading') return <Spin style={{ display: 'block', marginTop: 48 }} />;
  if (state.kind === 'anonymous') return <Navigate to={loginPath(`${location.pathname}${location.search}`)} replace />;
  if (!can(ability)) {
    const key = roleKey(state.session.user.role);
    return (
      <Result
        status="403"
        data-testid="access-denied"
        title={t('access.forbiddenTitle')}
        subTitle={t('access.forbidden', { role: key ? t(key) : state.session.user.role, page: t(pageKey) })}
        extra={
          <Link to="/">
            <Button type="primary">{t('comingSoon.back')}</Button>
          </Link>
        }
      />
    );
  }
  return <>{children}</>;
}

/**
 * A page behind one ability, as the router mounts it: `export const AuditPage = guardedPage('audit.read',
 * 'nav.audit', AuditView)`. The view's hooks run only once the ability is known to be there.
 */
export function guardedPage(ability: string, pageKey: TKey, View: ComponentType): ComponentType {
  const Page = () => (
    <RequireAbility ability={ability} pageKey={pageKey}>
      <View />
    </RequireAbility>
  );
  Page.displayName = `Guarded(${View.displayName ?? View.name})`;
  return Page;
}
