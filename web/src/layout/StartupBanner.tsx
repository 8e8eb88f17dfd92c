import { Alert, Progress } from 'antd';
import { useEffect, useRef } from 'react';
import { useAuth } from '../auth.tsx';
import { useI18n } from '../i18n.tsx';
import { useStartupStatus, type StartupStatus } from '../useStartupStatus.ts';

function timeLeft(seconds: number | null, lang: 'zh' | 'en'): string {
  if (seconds === null) return lang === 'zh' ? '正在估算剩余时间' : 'estimating the time left';
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  if (lang === 'zh') return `约剩 ${m > 0 ? `${m} 分 ` : ''}${s} 秒`;
  return `about ${m > 0 ? `${m} min ` : ''}${s} s left`;
}

function describe(status: StartupStatus, lang: 'zh' | 'en'): { title: string; detail: string } {
  const label = status.label[lang];
  const counted =
    status.done !== null && status.total !== null ? ` ${status.done.toLocaleString()} / ${status.total.toLocaleString()}` : '';
  if (status.phase === 'failed') {
    return lang === 'zh'
      ? { title: '首次启动失败', detail: `${status.failure ?? ''}（请查看服务器终端）` }
      : { title: 'The first start failed', detail: `${status.failure ?? ''} (see the server's terminal)` };
  }
  if (lang === 'zh') {
    return {
      title: `首次启动：${status.demo ? '正在载入演示数据' : '正在建立数据库'} — ${label}${counted}，${timeLeft(status.secondsLeft, lang)}`,
      detail: status.demo
        ? '载入完成后即可登录：管理员和每个角色各一个演示账号，密码打印在服务器终端并保存在 data/demo-credentials.json。在此之前，本页以外的数据暂不可用。'
        : '完成后即可用管理员登录，密码打印在服务器终端并保存在 data/demo-credentials.json。',
    };
  }
  return {
    title: `First start: ${status.demo ? 'loading the demo' : 'creating the database'} — ${label}${counted}, ${timeLeft(status.secondsLeft, lang)}`,
    detail: status.demo
      ? 'When it is ready you can log in: the administrator and one demo login per role, whose passwords the server printed in its terminal and kept in data/demo-credentials.json. Until then no data can be shown.'
      : 'When it is ready the administrator can log in; the password was printed in the server’s terminal and kept in data/demo-credentials.json.',
  };
}

/**
 * Shown on every page while the server's first start builds the database and the demo: the
 * phase, its progress and the time left. It goes when the server reports ready, and the page
 * asks again who is logged in (the data behind it has just become available).
 */
export function StartupBanner() {
  const status = useStartupStatus();
  const { lang } = useI18n();
  const { refresh } = useAuth();
  const wasLoading = useRef(false);
  const loading = status !== null && status.phase !== 'ready';
  useEffect(() => {
    if (loading) wasLoading.current = true;
    else if (wasLoading.current && status?.phase === 'ready') {
      wasLoading.current = false;
      refresh();
    }
  }, [loading, status?.phase, refresh]);
  if (!status || !loading) return null;
  const { title, detail } = describe(status, lang);
  return (
    <Alert
      data-testid="startup-banner"
      type={status.phase === 'failed' ? 'error' : 'info'}
      showIcon
      banner
      title={title}
      description={
        <>
          <div>{detail}</div>
          {status.phase !== 'failed' && (
            <Progress percent={Math.round(status.progress * 100)} size="small" status="active" style={{ marginBottom: 0 }} />
          )}
        </>
      }
    />
  );
}
