import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Form, Input, Row, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useAuth } from '../../auth.tsx';
import { type CreateDialogProps, FormDialog } from '../../components/FormDialog.tsx';
import { useRefusal } from '../../formErrors.ts';
import { useI18n } from '../../i18n.tsx';
import { CategorySelect } from '../../components/CategorySelect.tsx';
import { ORIGIN_UNIT_TYPES, programsApi, type Cadre, type Unit, type UnitType } from './api.ts';
import { unitTypeKey } from './common.tsx';
import { UnitSelect } from './pickers.tsx';

interface Values {
  name?: string;
  unitId?: number;
  position?: string;
  expertise?: string[];
  phone?: string;
  notes?: string;
}

interface UnitValues {
  unitName?: string;
  unitType?: UnitType;
  parentUnitId?: number;
}

const FIELDS = ['name', 'unitId', 'position', 'expertise', 'phone', 'notes'] as const;

/**
 * POST /cadres, with the origin unit picked from the registry or registered on the spot
 * (POST /units: name, type, parent unit, in the user's district).
 */
export function NewCadreDialog({ open, onClose, onCreated }: CreateDialogProps<Cadre>) {
  const { t } = useI18n();
  const { session } = useAuth();
  const [form] = Form.useForm<Values>();
  const [unitForm] = Form.useForm<UnitValues>();
  const [unitOpen, setUnitOpen] = useState(false);
  const [unitBusy, setUnitBusy] = useState(false);
  const [unitError, setUnitError] = useRefusal(unitForm, []);
  const [newUnits, setNewUnits] = useState<Unit[]>([]);
  const scope = session?.user.scopeCode ?? '11';
  const district = scope.length >= 6 ? scope.slice(0, 6) : null;

  async function createUnit(v: UnitValues) {
    setUnitBusy(true);
    setUnitError(null);
    try {
      const unit = await programsApi.createUnit({
        name: v.unitName?.trim() ?? '',
        type: v.unitType ?? 'party_government_agency',
        districtCode: district,
        ...(v.parentUnitId ? { parentUnitId: v.parentUnitId } : {}),
      });
      setNewUnits((list) => [unit, ...list]);
      form.setFieldsValue({ unitId: unit.id });
      form.setFields([{ name: 'unitId', errors: [] }]);
      unitForm.resetFields();
      setUnitOpen(false);
    } catch (err) {
      setUnitError(err);
    } finally {
      setUnitBusy(false);
    }
  }

  async function submit(v: Values) {
    const cadre = await programsApi.createCadre({
      name: v.name?.trim() ?? '',
      unitId: v.unitId ?? 0,
      position: v.position?.trim() || null,
      expertise: v.expertise ?? [],
      phone: v.phone?.trim() || null,
      notes: v.notes?.trim() || null,
    });
    onCreated(cadre);
  }

  return (
    <FormDialog<Values>
      open={open}
      title={t('prog.cadre.new')}
      testId="cadre"
      fields={FIELDS}
      form={form}
      width={640}
      submitText={t('prog.form.create')}
      onClose={onClose}
      onSubmit={submit}
    >
      {() => (
        <>
          <Row gutter={16}>
            <Col xs={24} md={10}>
              <Form.Item
                name="name"
                label={t('prog.cadre.name')}
                rules={[{ required: true, whitespace: true, message: t('prog.form.required') }]}
              >
                <Input maxLength={100} data-testid="cadre-name" />
              </Form.Item>
            </Col>
            <Col xs={24} md={14}>
              <Form.Item name="position" label={t('prog.cadre.position')}>
                <Input maxLength={200} placeholder={t('prog.cadre.positionPlaceholder')} data-testid="cadre-position" />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item label={t('prog.cadre.unit')} required style={{ marginBottom: unitOpen ? 8 : undefined }}>
            <Space.Compact style={{ width: '100%' }}>
              <Form.Item name="unitId" noStyle rules={[{ required: true, message: t('prog.form.required') }]}>
                <UnitSelect
                  types={ORIGIN_UNIT_TYPES}
                  extraUnits={newUnits}
                  placeholder={t('prog.cadre.unitPlaceholder')}
                  data-testid="cadre-unit"
                />
              </Form.Item>
              <Button icon={<PlusOutlined />} onClick={() => setUnitOpen((o) => !o)} data-testid="unit-new">
                {t('prog.unit.new')}
              </Button>
            </Space.Compact>
          </Form.Item>
          {unitOpen && (
            <Card size="small" style={{ marginBottom: 16 }} title={t('prog.unit.newTitle')}>
              <Form<UnitValues>
                form={unitForm}
                layout="vertical"
                component="div"
                onFinish={createUnit}
                initialValues={{ unitType: 'party_government_agency' }}
                data-testid="unit-form"
              >
                <Row gutter={12}>
                  <Col xs={24} md={14}>
                    <Form.Item
                      name="unitName"
                      label={t('prog.unit.name')}
                      rules={[{ required: true, whitespace: true, message: t('prog.form.required') }]}
                    >
                      <Input maxLength={200} placeholder={t('prog.unit.namePlaceholder')} data-testid="unit-name" />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={10}>
                    <Form.Item name="unitType" label={t('prog.unit.type')} rules={[{ required: true }]}>
                      <Select<UnitType>
                        options={ORIGIN_UNIT_TYPES.map((u) => ({ value: u, label: t(unitTypeKey(u)) }))}
                        data-testid="unit-type-select"
                      />
                    </Form.Item>
                  </Col>
                </Row>
                <Form.Item name="parentUnitId" label={t('prog.unit.parent')} extra={t('prog.unit.parentHint')}>
                  <UnitSelect extraUnits={newUnits} placeholder={t('prog.unit.parentPlaceholder')} data-testid="unit-parent" />
                </Form.Item>
                <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
                  {district ? t('prog.unit.inDistrict', { district: session?.user.scopeName ?? district }) : t('prog.unit.municipalHint')}
                </Typography.Paragraph>
                {unitError && <Alert type="error" showIcon title={unitError} style={{ marginBottom: 12 }} data-testid="unit-error" />}
                <Button type="primary" size="small" loading={unitBusy} onClick={() => unitForm.submit()} data-testid="unit-submit">
                  {t('prog.unit.create')}
                </Button>
              </Form>
            </Card>
          )}
          <Form.Item name="expertise" label={t('prog.cadre.expertise')} extra={t('prog.cadre.expertiseHint')}>
            <CategorySelect multiple placeholder={t('prog.cadre.expertisePlaceholder')} data-testid="cadre-expertise" />
          </Form.Item>
          <Row gutter={16}>
            <Col xs={24} md={10}>
              <Form.Item
                name="phone"
                label={t('prog.cadre.phone')}
                rules={[{ pattern: /^[0-9+() -]{5,20}$/, message: t('prog.form.phone') }]}
              >
                <Input maxLength={20} data-testid="cadre-phone" />
              </Form.Item>
            </Col>
            <Col xs={24} md={14}>
              <Form.Item name="notes" label={t('prog.col.notes')}>
                <Input maxLength={4000} data-testid="cadre-notes" />
              </Form.Item>
            </Col>
          </Row>
        </>
      )}
    </FormDialog>
  );
}
