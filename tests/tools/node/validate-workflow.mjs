// node --import ./register-json.mjs validate-workflow.mjs <workflow.yml>
// Parses a GitHub Actions workflow with GitHub's own parser (@actions/workflow-parser: the schema and expression
// rules of github.com) and prints {"errors": [...], "jobs": [{"id", "runsOn", "steps": [{"uses", "run", "env"}]}]}.
import { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } from "@actions/workflow-parser";
import { readFileSync } from "node:fs";

const name = process.argv[2];
const result = parseWorkflow({ name, content: readFileSync(name, "utf8") }, new NoOperationTraceWriter());
const errors = result.context.errors.getErrors().map((e) => e.message);
let jobs = [];
if (result.value) {
  const template = await convertWorkflowTemplate(result.context, result.value);
  errors.push(...(template.errors || []).map((e) => e.Message || e.message));
  // A literal keeps its value; an expression is kept as written (${{ ... }}), so a caller can tell the two apart.
  const text = (token) => (token === undefined || token === null ? null : String(token.source ?? token.value ?? token.toString()));
  const pairs = (mapping) => {
    const out = {};
    for (let i = 0; mapping && i < mapping.count; i++) out[text(mapping.get(i).key)] = text(mapping.get(i).value);
    return out;
  };
  jobs = (template.jobs || []).map((job) => ({
    id: text(job.id),
    runsOn: text(job["runs-on"]),
    steps: (job.steps || []).map((step) => ({
      uses: text(step.uses),
      run: text(step.run),
      env: pairs(step.env),
    })),
  }));
}
console.log(JSON.stringify({ errors: [...new Set(errors)], jobs }));
