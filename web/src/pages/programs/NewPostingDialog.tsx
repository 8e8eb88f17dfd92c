import { Col, Collapse, DatePicker, Form, Row, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { type CreateDialogProps, FormDialog } from '../../components/FormDialog.tsx';
import { useI18n } from '../../i18n.tsx';
import {
  PROGRAM_KINDS,
  programsApi,
  type Batch,
  type BatchCommunity,
  type Cadre,
  type Posting,
  type Program,
  type ProgramKind,
} from './api.ts';
import { fromDay, programKindKey, spanText, toDay } from './common.tsx';
import { MatchPanel } from './Matching.tsx';
import { CadreSelect } from './pickers.tsx';
import { TextAreaItem } from '../../components/TextAreaItem.tsx';

interface Values {
  communityCode?: string;
  cadreId?: number;
  role: ProgramKind;
  startDate?: Dayjs | null;
  endDate?: Dayjs | null;
  notes?: string;
}

const FIELDS = ['communityCode', 'cadreId', 'role', 'startDate', 'endDate', 'notes'] as const;

interface Props extends CreateDialogProps<Posting> {
  program: Program;
  batch: Batch;
  communities: BatchCommunity[];
  /** Preselected community (the row's 选派 button). */
  community?: string;
}

/**
 * POST /postings: a cadre to one of the batch's communities. The server refuses overlaps, dates
 * outside the batch and origin unit types the program does not accept; its reason is shown here.
 */
export function NewPostingDialog({ program, batch, communities, community, open, onClose, onCreated }: Props) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const [picked, setPicked] = useState<Cadre[]>([]);
  const code = Form.useWatch('communityCode', form);

  useEffect(() => {
    if (open) form.setFieldsValue({ communityCode: community });
  }, [open, community]);

  async function submit(v: Values) {
    const posting = await programsApi.createPosting({
      batchId: batch.id,
      cadreId: v.cadreId ?? 0,
      communityCode: v.communityCode ?? '',
      role: v.role,
      ...(v.startDate ? { startDate: toDay(v.startDate) } : {}),
      ...(v.endDate ? { endDate: toDay(v.endDate) } : {}),
      notes: v.notes?.trim() || null,
    });
    onCreated(posting);
  }

  return (
    <FormDialog<Values>
      open={open}
      title={t('prog.posting.newTitle', { n: batch.number })}
      testId="posting"
      fields={FIELDS}
      form={form}
      width={760}
      hint={t('prog.posting.hint', { span: spanText(batch.startDate, batch.endDate, t) })}
      initialValues={{ role: program.kind, startDate: fromDay(batch.startDate) }}
      submitText={t('prog.posting.submit')}
      onClose={onClose}
      onSubmit={submit}
      after={(clearRefusal) =>
        code && (
          <Collapse
            size="small"
            items={[
              {
                key: 'match',
                label: t('prog.match.title'),
                children: (
                  <MatchPanel
                    code={code}
                    programId={program.id}
                    compact
                    onPick={(cadre) => {
                      setPicked((list) => [...list, cadre]);
                      form.setFieldsValue({ cadreId: cadre.id });
                      clearRefusal();
                    }}
                  />
                ),
              },
            ]}
          />
        )
      }
    >
      {() => (
        <>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item
                name="communityCode"
                label={t('prog.col.community')}
                rules={[{ required: true, message: t('prog.form.required') }]}
              >
                <Select<string>
                  data-testid="posting-community"
                  showSearch={{ optionFilterProp: 'label' }}
                  options={communities.map((c) => ({ value: c.communityCode, label: `${c.communityName}（${c.streetName}）` }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="cadreId" label={t('prog.col.cadre')} rules={[{ required: true, message: t('prog.form.required') }]}>
                <CadreSelect data-testid="posting-cadre" placeholder={t('prog.cadre.searchPlaceholder')} seed={picked} />
              </Form.Item>
            </Col>
            <Col xs={12} md={12}>
              <Form.Item name="startDate" label={t('prog.col.start')}>
                <DatePicker data-testid="posting-start" style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={12} md={12}>
              <Form.Item name="endDate" label={t('prog.col.end')} extra={t('prog.posting.endHint')}>
                <DatePicker data-testid="posting-end" style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="role" label={t('prog.col.role')}>
                <Select<ProgramKind>
                  data-testid="posting-role"
                  options={PROGRAM_KINDS.map((k) => ({ value: k, label: t(programKindKey(k)) }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <TextAreaItem name="notes" label={t('prog.col.notes')} rows={[1, 4]} maxLength={4000} testId="posting-notes" />
            </Col>
          </Row>
        </>
      )}
    </FormDialog>
  );
}
