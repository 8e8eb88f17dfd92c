import { Button, Flex, Tag, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { ApiError, localizeServerText } from '../../api.ts';
import { DivisionSelect } from '../../components/DivisionSelect.tsx';
import { useI18n } from '../../i18n.tsx';
import { useErrorText } from '../../useErrorText.ts';
import { importsApi, type UnmatchedItem } from './api.ts';

/** The likeliest communities as one-click choices, any community of the street by search, then 匹配. */
export function MatchAction({ item, onMatched }: { item: UnmatchedItem; onMatched: (item: UnmatchedItem) => void }) {
  const { t, lang } = useI18n();
  const errorText = useErrorText();
  const [picked, setPicked] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function match() {
    if (!picked) return;
    setBusy(true);
    setError(null);
    try {
      onMatched(await importsApi.match(item.id, picked));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const fieldError =
    error instanceof ApiError ? error.problem.errors?.map((e) => localizeServerText(e.message, lang)).join('；') : undefined;
  let hint: ReactNode = null;
  if (error !== null)
    hint = (
      <Typography.Text type="danger" style={{ fontSize: 12 }}>
        {fieldError || errorText(error)}
      </Typography.Text>
    );

  return (
    <Flex vertical gap={6} style={{ minWidth: 300 }} data-testid="unmatched-match">
      {item.candidates.length > 0 && (
        <Flex gap={4} wrap align="center">
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('appeals.import.candidates')}
          </Typography.Text>
          {item.candidates.map((c) => (
            <Tag.CheckableTag
              key={c.code}
              checked={picked === c.code}
              onChange={() => setPicked(c.code)}
              data-testid="unmatched-candidate"
              data-code={c.code}
              style={{ border: '1px solid #d9d9d9' }}
            >
              {c.name}
            </Tag.CheckableTag>
          ))}
        </Flex>
      )}
      <Flex gap={8}>
        <DivisionSelect
          within={item.streetCode ?? item.districtCode}
          browseLevel="community"
          levels={['community']}
          value={picked}
          onChange={setPicked}
          placeholder={t('appeals.import.matchPlaceholder')}
          style={{ width: 220 }}
          data-testid="unmatched-community"
        />
        <Button type="primary" disabled={!picked} loading={busy} onClick={() => void match()} data-testid="unmatched-submit">
          {t('appeals.import.match')}
        </Button>
      </Flex>
      {hint}
    </Flex>
  );
}
