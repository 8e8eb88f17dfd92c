import { CheckOutlined, CopyOutlined } from '@ant-design/icons';
import { Alert, App, Button, Descriptions, Flex, Modal, Typography, theme } from 'antd';
import { useEffect, useState } from 'react';
import { copyText } from '../../clipboard.ts';
import { useT } from '../../i18n.tsx';

export interface Secret {
  title: string;
  /** What the secret is: 初始密码, 令牌. */
  label: string;
  value: string;
  /** Other facts to hand over with it, e.g. the login name. */
  details?: { label: string; value: string }[];
}

/**
 * A password or token the server shows once. The dialog closes only by its button, so a stray
 * click on the mask cannot throw the secret away.
 */
export function OneTimeSecret({ secret, onClose }: { secret: Secret | null; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const { token } = theme.useToken();
  const [copied, setCopied] = useState(false);

  useEffect(() => setCopied(false), [secret]);

  async function copy() {
    if (!secret) return;
    // Success shows on the button itself (已复制); only a failure needs a message.
    if (await copyText(secret.value)) {
      setCopied(true);
    } else {
      message.error(t('secret.copyFailed'));
    }
  }

  return (
    <Modal
      open={secret !== null}
      title={secret?.title}
      closable={false}
      mask={{ closable: false }}
      keyboard={false}
      destroyOnHidden
      footer={
        <Button type="primary" onClick={onClose} data-testid="one-time-secret-done">
          {t('secret.done')}
        </Button>
      }
    >
      {secret && (
        <div data-testid="one-time-secret">
          <Alert type="warning" showIcon title={t('secret.once')} description={t('secret.onceText')} style={{ marginBottom: 16 }} />
          {secret.details && secret.details.length > 0 && (
            <Descriptions
              size="small"
              column={1}
              style={{ marginBottom: 12 }}
              items={secret.details.map((d) => ({ key: d.label, label: d.label, children: d.value }))}
            />
          )}
          <Typography.Text type="secondary">{secret.label}</Typography.Text>
          <Flex gap={8} align="flex-start" style={{ marginTop: 4 }}>
            {/* One block, selected whole by one click, so a long token wraps as one piece. */}
            <div
              data-testid="one-time-secret-value"
              style={{
                flex: 1,
                minWidth: 0,
                padding: '6px 10px',
                fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
                fontSize: 15,
                lineHeight: '20px',
                wordBreak: 'break-all',
                userSelect: 'all',
                background: token.colorFillTertiary,
                border: `1px solid ${token.colorBorder}`,
                borderRadius: token.borderRadius,
              }}
            >
              {secret.value}
            </div>
            <Button icon={copied ? <CheckOutlined /> : <CopyOutlined />} onClick={() => void copy()} data-testid="one-time-secret-copy">
              {copied ? t('secret.copied') : t('secret.copy')}
            </Button>
          </Flex>
        </div>
      )}
    </Modal>
  );
}
