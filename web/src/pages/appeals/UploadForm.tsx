import { CloudUploadOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, App, Button, Col, Form, Input, Progress, Row, Typography, Upload, type UploadFile } from 'antd';
import { useState } from 'react';
import { ApiError, localizeServerText } from '../../api.ts';
import { DivisionSelect } from '../../components/DivisionSelect.tsx';
import { useI18n } from '../../i18n.tsx';
import { useErrorText } from '../../useErrorText.ts';
import { importsApi, postImportForm, type HeldImport, type ImportSummary } from './api.ts';
import { ImportPreviewPanel, rolesOf, type ImportPreview, type ImportRole } from './ImportPreview.tsx';

/** The server no longer holds the previewed file (an hour passed, or it was imported): send it again. */
const heldGone = (err: unknown) => err instanceof ApiError && err.status === 404;

type UploadState = { kind: 'idle' } | { kind: 'uploading'; fraction: number } | { kind: 'processing' } | { kind: 'failed'; error: unknown };

/** The file, an optional source (its saved column mapping) and an optional default district. */
export function UploadForm({ scope, csrfToken, onDone }: { scope: string; csrfToken: string; onDone: (summary: ImportSummary) => void }) {
  const { t, lang } = useI18n();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [source, setSource] = useState('');
  const [district, setDistrict] = useState<string | undefined>();
  const [state, setState] = useState<UploadState>({ kind: 'idle' });
  const [missingFile, setMissingFile] = useState(false);
  const busy = state.kind === 'uploading' || state.kind === 'processing';

  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [roles, setRoles] = useState<Record<string, ImportRole>>({});
  /** Only the roles the person changed: the rest stay as the import infers them. */
  const [changed, setChanged] = useState<Record<string, ImportRole>>({});
  const headers = { csrfToken, acceptLanguage: lang === 'zh' ? 'zh-CN,zh;q=0.9,en;q=0.5' : 'en,zh-CN;q=0.5' };
  const [mode, setMode] = useState<'preview' | 'import'>('preview');
  const progress = (fraction: number) => setState(fraction >= 1 ? { kind: 'processing' } : { kind: 'uploading', fraction });
  /** Set when the held file had expired and was sent again: the page says why it uploaded twice. */
  const [expired, setExpired] = useState(false);

  /** The file the preview received, named by its id, with this form's fields: nothing is uploaded. */
  const held = (uploadId: string, columns: Record<string, ImportRole> | undefined): HeldImport => ({
    uploadId,
    source: source.trim() || undefined,
    district,
    ...(columns ? { mapping: { columns } } : {}),
  });

  /**
   * `byId` against the held file; when the server no longer holds it, the file is uploaded again
   * with `upload`, and the person is told why.
   */
  async function heldOrUpload<T>(
    uploadId: string | undefined,
    byId: (uploadId: string) => Promise<T>,
    upload: () => Promise<T>,
  ): Promise<T> {
    setExpired(false);
    if (uploadId) {
      setState({ kind: 'processing' });
      try {
        return await byId(uploadId);
      } catch (err) {
        if (!heldGone(err)) throw err;
        setExpired(true);
        message.warning(t('appeals.import.heldExpired'));
      }
    }
    setState({ kind: 'uploading', fraction: 0 });
    return upload();
  }

  /** First the preview: what the import makes of the file, written nowhere. */
  async function read(columns: Record<string, ImportRole> | undefined) {
    const file = files[0]?.originFileObj;
    if (!file) {
      setMissingFile(true);
      return;
    }
    setMode('preview');
    const form = { file, source: source.trim() || undefined, district, columns };
    try {
      // A preview read again (a role changed) reads the file the server already holds.
      const next = await heldOrUpload(
        preview?.uploadId,
        (uploadId) => importsApi.previewHeld(held(uploadId, columns)),
        () => postImportForm<ImportPreview>('/api/v1/appeal-imports/preview', form, headers, progress),
      );
      setPreview(next);
      setRoles({ ...rolesOf(next), ...(columns ?? {}) });
      setState({ kind: 'idle' });
    } catch (err) {
      setState({ kind: 'failed', error: err });
    }
  }

  function changeRole(header: string, role: ImportRole) {
    // One column per field: the column that had this role gives it up.
    const next: Record<string, ImportRole> = { ...changed, [header]: role };
    if (role !== 'ignore') for (const [h, r] of Object.entries(roles)) if (h !== header && r === role) next[h] = 'ignore';
    setChanged(next);
    void read(next);
  }

  /** Then the import of the file the preview received, with the roles as confirmed: saved for the source, if one is named. */
  async function confirm() {
    const file = files[0]?.originFileObj;
    if (!file) return;
    setMode('import');
    const form = { file, source: source.trim() || undefined, district, columns: roles };
    try {
      const summary = await heldOrUpload(
        preview?.uploadId,
        (uploadId) => importsApi.importHeld(held(uploadId, roles)),
        () => postImportForm<ImportSummary>('/api/v1/appeal-imports', form, headers, progress),
      );
      setState({ kind: 'idle' });
      setFiles([]);
      reset();
      onDone(summary);
    } catch (err) {
      setState({ kind: 'failed', error: err });
    }
  }

  function reset() {
    setPreview(null);
    setExpired(false);
    setRoles({});
    setChanged({});
  }

  // A refused file (missing columns) names each missing column: list them under the reason.
  const failure =
    state.kind === 'failed'
      ? {
          title: t('appeals.import.failed', { reason: errorText(state.error) }),
          lines:
            state.error instanceof ApiError
              ? (state.error.problem.errors ?? []).map((e) => `${e.field ? `${e.field}: ` : ''}${localizeServerText(e.message, lang)}`)
              : [],
        }
      : null;

  return (
    <Form layout="vertical" style={{ marginTop: 16 }} data-testid="import-form" onFinish={() => void read(undefined)}>
      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Form.Item validateStatus={missingFile ? 'error' : undefined} help={missingFile ? t('appeals.import.fileRequired') : undefined}>
            <Upload.Dragger
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              maxCount={1}
              fileList={files}
              disabled={busy}
              beforeUpload={() => false}
              onChange={({ fileList }) => {
                setFiles(fileList.slice(-1));
                setMissingFile(false);
                reset();
                if (state.kind === 'failed') setState({ kind: 'idle' });
              }}
              data-testid="import-file"
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">{t('appeals.import.drop')}</p>
              <p className="ant-upload-hint" style={{ paddingInline: 16 }}>
                {t('appeals.import.dropHint')}
              </p>
            </Upload.Dragger>
          </Form.Item>
        </Col>
        <Col xs={24} lg={12}>
          <Form.Item label={t('appeals.import.source')} extra={t('appeals.import.sourceHint')}>
            <Input
              value={source}
              onChange={(e) => {
                setSource(e.target.value);
                reset();
              }}
              maxLength={64}
              placeholder={t('appeals.import.sourcePlaceholder')}
              disabled={busy}
              data-testid="import-source"
            />
          </Form.Item>
          <Form.Item label={t('appeals.import.district')}>
            <DivisionSelect
              within={scope.length > 6 ? scope.slice(0, 6) : scope}
              browseLevel="district"
              levels={['district']}
              value={district}
              onChange={(code) => {
                setDistrict(code);
                reset();
              }}
              placeholder={t('appeals.import.districtPlaceholder')}
              data-testid="import-district"
            />
          </Form.Item>
          <Form.Item style={{ marginBottom: 0 }}>
            <Button
              type={preview ? 'default' : 'primary'}
              htmlType="submit"
              icon={<CloudUploadOutlined />}
              loading={busy}
              data-testid="import-start"
            >
              {t('appeals.import.preview')}
            </Button>
          </Form.Item>
        </Col>
      </Row>
      {expired && (
        <Alert
          type="warning"
          showIcon
          data-testid="import-held-expired"
          title={t('appeals.import.heldExpired')}
          style={{ marginBottom: 8 }}
        />
      )}
      {state.kind === 'uploading' && (
        <div data-testid="import-progress">
          <Typography.Text type="secondary">{t('appeals.import.uploading')}</Typography.Text>
          <Progress percent={Math.round(state.fraction * 100)} status="active" />
        </div>
      )}
      {state.kind === 'processing' && (
        <div data-testid="import-progress">
          <Typography.Text type="secondary">
            {t(mode === 'preview' ? 'appeals.import.previewing' : 'appeals.import.processing')}
          </Typography.Text>
          <Progress percent={100} status="active" showInfo={false} />
        </div>
      )}
      {preview && (
        <ImportPreviewPanel
          preview={preview}
          roles={roles}
          busy={busy}
          onRole={changeRole}
          onConfirm={() => void confirm()}
          onCancel={() => {
            reset();
            setFiles([]);
          }}
        />
      )}
      {failure && (
        <Alert
          type="error"
          showIcon
          data-testid="import-error"
          title={failure.title}
          description={failure.lines.length > 0 ? failure.lines.map((line, i) => <div key={i}>{line}</div>) : undefined}
        />
      )}
    </Form>
  );
}
