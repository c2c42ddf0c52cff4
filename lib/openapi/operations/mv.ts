// OpenAPI operations of the "M&V" tag (lib/openapi/document.ts assembles the document).
import { MvReportSchema, MvStudyListSchema, MvStudySchema } from "@/lib/mv/serialize";
import { CreateStudySchema, ReviseStudySchema, RunStudySchema } from "@/lib/mv/studies";
import mvStudyExample from "@/lib/mv/examples/study.json";
import { IdParams } from "../common";
import type { OperationSpec } from "../operation-spec";

export const mvOperations: OperationSpec[] = [
  {
    method: "get",
    path: "/api/v1/mv/studies",
    tag: "M&V",
    auth: "mv.read",
    summary: "The caller's M&V studies, newest first, each with its latest report",
    ok: { status: 200, description: "Every visible study", schema: MvStudyListSchema },
  },
  {
    method: "post",
    path: "/api/v1/mv/studies",
    tag: "M&V",
    auth: "mv.write",
    summary: "Create a study (revision 1): scope, boundary, data source, periods, granularity, model, assumptions",
    description:
      "The specification is validated whole; dataset versions must be ready versions of the study's tenant. See docs/MV-METHOD.md.",
    body: { schema: CreateStudySchema, example: mvStudyExample },
    ok: {
      status: 201,
      description: "The study",
      schema: MvStudySchema,
      headers: { Location: { description: "`/api/v1/mv/studies/{id}`" } },
    },
    errors: { forbidden: "The caller may not create studies, or the tenant is outside its scope" },
  },
  {
    method: "get",
    path: "/api/v1/mv/studies/{id}",
    tag: "M&V",
    auth: "mv.read",
    summary: "A study with every revision (newest first) and its reports",
    path_params: IdParams,
    ok: { status: 200, description: "The study", schema: MvStudySchema },
    errors: { not_found: "No such study (or outside the caller's tenants)" },
  },
  {
    method: "post",
    path: "/api/v1/mv/studies/{id}/revisions",
    tag: "M&V",
    auth: "mv.write",
    summary: "Edit a study: adds a revision; earlier revisions and their reports stay readable",
    path_params: IdParams,
    body: {
      schema: ReviseStudySchema,
      example: {
        name: mvStudyExample.name,
        note: "Balance point searched instead of fixed",
        spec: mvStudyExample.spec,
      },
    },
    ok: { status: 201, description: "The study with its new revision", schema: MvStudySchema },
    errors: { not_found: "No such study", conflict: "Another revision was added meanwhile" },
  },
  {
    method: "post",
    path: "/api/v1/mv/studies/{id}/runs",
    tag: "M&V",
    auth: "mv.write",
    summary: "Run a revision (default: the current one) into an immutable, reproducible report",
    description:
      "The body is optional. A study that cannot be computed (too few points, zero variance, collinear variables, a missing variable) is refused with 422 naming the reason.",
    path_params: IdParams,
    body: { schema: RunStudySchema, example: {} },
    ok: {
      status: 201,
      description: "The report",
      schema: MvReportSchema,
      headers: { Location: { description: "`/api/v1/mv/reports/{id}`" } },
    },
    errors: { not_found: "No such study or revision" },
  },
  {
    method: "get",
    path: "/api/v1/mv/reports/{id}",
    tag: "M&V",
    auth: "mv.read",
    summary: "A report: specification, results, hashes, versions",
    path_params: IdParams,
    ok: { status: 200, description: "The report", schema: MvReportSchema },
    errors: { not_found: "No such report" },
  },
  {
    method: "get",
    path: "/api/v1/mv/reports/{id}/report.pdf",
    tag: "M&V",
    auth: "export.create",
    summary: "The report as PDF (IPMVP style: summary, method, fit, assumptions, charts, reproducibility)",
    path_params: IdParams,
    ok: { status: 200, description: "PDF (audited as export.pdf)", contentType: "application/pdf" },
    errors: { not_found: "No such report" },
  },
  {
    method: "get",
    path: "/api/v1/mv/reports/{id}/export.csv",
    tag: "M&V",
    auth: "export.create",
    summary: "Per-interval actual, baseline, savings and cumulative savings, after a `# key: value` metadata block",
    path_params: IdParams,
    ok: {
      status: 200,
      description: 'CSV (audited as export.csv); read it with papaparse\'s `comments: "#"`',
      contentType: "text/csv",
    },
    errors: { not_found: "No such report" },
  },
];
