import { ElTableColumn } from 'element-plus'
import 'element-plus/es/components/table-column/style/css'

/**
 * ElTableColumn with a typed `row` in its slots (ElTable cannot pass its row type down):
 * `const Column = typedColumn<User>()`, then `<Column>` in the template.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const typedColumn = <Row extends Record<PropertyKey, any>>() => ElTableColumn<Row>
