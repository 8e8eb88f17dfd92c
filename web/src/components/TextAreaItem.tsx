import { Form, Input, type FormItemProps } from 'antd';

/**
 * A form field of free text over several lines that grows with what is typed, between `rows`
 * lines: the dialogs' notes, reasons, results and descriptions. `maxLength` is the server's limit.
 */
export function TextAreaItem({
  name,
  label,
  rules,
  rows: [minRows, maxRows],
  maxLength,
  placeholder,
  testId,
}: {
  name: string;
  label: string;
  rules?: FormItemProps['rules'];
  rows: [number, number];
  maxLength: number;
  placeholder?: string;
  testId?: string;
}) {
  return (
    <Form.Item name={name} label={label} rules={rules}>
      <Input.TextArea autoSize={{ minRows, maxRows }} maxLength={maxLength} placeholder={placeholder} data-testid={testId} />
    </Form.Item>
  );
}
