/** Shared by the schema writer and its staleness test. */
import { scenariosJsonSchema } from '../src/scenarios/schema.js';

export function renderJsonSchema(): string {
  const schema = { ...scenariosJsonSchema(), title: 'ecs-lab scenarios.yaml', $id: 'https://ecs-lab.dev/scenarios.schema.json' };
  return `${JSON.stringify(schema, null, 2)}\n`;
}
