{{/* Names, labels, image, and the environment shared by the Deployment and the setup Job. */}}

{{- define "pib.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "pib.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "pib.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "pib.selectorLabels" -}}
app.kubernetes.io/name: {{ include "pib.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The web pods only: the setup Job's pod shares the selector labels but not the component. */}}
{{- define "pib.webSelectorLabels" -}}
{{ include "pib.selectorLabels" . }}
app.kubernetes.io/component: web
{{- end }}

{{/* The worker pods (the background loops; templates/worker-deployment.yaml). */}}
{{- define "pib.workerSelectorLabels" -}}
{{ include "pib.selectorLabels" . }}
app.kubernetes.io/component: worker
{{- end }}

{{- define "pib.labels" -}}
helm.sh/chart: {{ include "pib.chart" . }}
{{ include "pib.selectorLabels" . }}
app.kubernetes.io/version: {{ (.Values.image.tag | default .Chart.AppVersion) | trunc 63 | quote }}
app.kubernetes.io/part-of: pilot-in-a-box
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "pib.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "pib.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "pib.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}
{{- end }}

{{/* The first ingress host, and the public URL (NEXTAUTH_URL) derived from it. */}}
{{- define "pib.host" -}}
{{- if and .Values.ingress.enabled .Values.ingress.hosts }}{{ (first .Values.ingress.hosts).host }}{{ end }}
{{- end }}

{{- define "pib.publicUrl" -}}
{{- if .Values.config.publicUrl }}
{{- .Values.config.publicUrl }}
{{- else if include "pib.host" . }}
{{- printf "%s://%s" (ternary "https" "http" .Values.ingress.tls.enabled) (include "pib.host" .) }}
{{- else }}
{{- printf "http://%s.%s.svc:%d" (include "pib.fullname" .) .Release.Namespace (int .Values.service.port) }}
{{- end }}
{{- end }}

{{/* Name of the Secret the app's secret variables come from. */}}
{{- define "pib.secretName" -}}
{{- if .Values.secrets.existingSecret }}{{ .Values.secrets.existingSecret }}{{ else }}{{ include "pib.fullname" . }}{{ end }}
{{- end }}

{{/*
The secret variables: name → inline value. With secrets.existingSecret every key is read from
that Secret (AUTH_SECRET, AUDIT_HMAC_KEY and DATABASE_URL required, the others optional) and no
inline value may be given; without it, AUTH_SECRET, AUDIT_HMAC_KEY and DATABASE_URL must be given
here. DATABASE_MIGRATION_URL (the tables' owner) only ever reaches the setup Job.
*/}}
{{- define "pib.secretValues" -}}
{{- $s := .Values.secrets -}}
{{- $inline := dict "AUTH_SECRET" $s.authSecret "AUDIT_HMAC_KEY" $s.auditHmacKey "DATABASE_URL" .Values.database.url "DATABASE_MIGRATION_URL" .Values.database.migrationUrl "REDIS_URL" .Values.redis.url "METRICS_TOKEN" $s.metricsToken "BIOCORE_TOKEN" $s.biocoreToken "ADMIN_PASSWORD" $s.adminPassword -}}
{{- if $s.existingSecret -}}
{{- range $k, $v := $inline }}{{ if $v }}{{ fail (printf "secrets.existingSecret is set: put %s in that Secret, not in values" $k) }}{{ end }}{{ end -}}
{{- else -}}
{{- if not $s.authSecret }}{{ fail "secrets.authSecret (or secrets.existingSecret) is required: at least 32 random bytes, e.g. openssl rand -base64 48" }}{{ end -}}
{{- if lt (len $s.authSecret) 32 }}{{ fail "secrets.authSecret must be at least 32 characters" }}{{ end -}}
{{- if not $s.auditHmacKey }}{{ fail "secrets.auditHmacKey (or AUDIT_HMAC_KEY in secrets.existingSecret) is required: at least 32 random bytes, e.g. openssl rand -base64 48; keep a copy outside the cluster" }}{{ end -}}
{{- if lt (len $s.auditHmacKey) 32 }}{{ fail "secrets.auditHmacKey must be at least 32 characters" }}{{ end -}}
{{- if not .Values.database.url }}{{ fail "database.url (or DATABASE_URL in secrets.existingSecret) is required: postgresql://user:password@host:5432/db" }}{{ end -}}
{{- end -}}
{{- toYaml $inline -}}
{{- end }}

{{/* The secret variables the web pods get (never DATABASE_MIGRATION_URL). */}}
{{- define "pib.appSecretKeys" -}}
{{- list "AUTH_SECRET" "AUDIT_HMAC_KEY" "DATABASE_URL" "REDIS_URL" "METRICS_TOKEN" "BIOCORE_TOKEN" "ADMIN_PASSWORD" | toJson }}
{{- end }}

{{/* env entries for the secret variables (secretKeyRef) of the web pods. */}}
{{- define "pib.secretEnv" -}}
{{- $name := include "pib.secretName" . -}}
{{- $values := include "pib.secretValues" . | fromYaml -}}
{{- $existing := .Values.secrets.existingSecret -}}
{{- range $key := include "pib.appSecretKeys" . | fromJsonArray }}
{{- $required := has $key (list "AUTH_SECRET" "AUDIT_HMAC_KEY" "DATABASE_URL") }}
{{- if or $existing (get $values $key) }}
- name: {{ $key }}
  valueFrom:
    secretKeyRef:
      name: {{ $name }}
      key: {{ $key }}
      {{- if not $required }}
      optional: true
      {{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/* The non-secret variables (ConfigMap data; also inlined into the setup Job). */}}
{{- define "pib.configData" -}}
{{- $c := .Values.config -}}
NODE_ENV: "production"
PORT: "3000"
HOST: "0.0.0.0"
NEXTAUTH_URL: {{ include "pib.publicUrl" . | quote }}
LOG_LEVEL: {{ $c.logLevel | quote }}
DEMO_DATA: {{ $c.demoData | toString | quote }}
TRUST_PROXY: {{ $c.trustProxy | toString | quote }}
DATABASE_POOL_MAX: {{ $c.databasePoolMax | toString | quote }}
WORKER_MODE: {{ ternary "process" "inline" .Values.worker.enabled | quote }}
WORKER_POOL_MAX: {{ .Values.worker.poolMax | toString | quote }}
MAX_BODY_BYTES: {{ $c.maxBodyBytes | int64 | toString | quote }}
DATASET_MAX_BYTES: {{ $c.datasetMaxBytes | int64 | toString | quote }}
RATE_LIMIT_API_PER_MINUTE: {{ $c.rateLimitApiPerMinute | toString | quote }}
RATE_LIMIT_IP_PER_MINUTE: {{ $c.rateLimitIpPerMinute | toString | quote }}
SHUTDOWN_GRACE_MS: {{ $c.shutdownGraceMs | int64 | toString | quote }}
BIOCORE_TIMEOUT_MS: {{ $c.biocoreTimeoutMs | toString | quote }}
OTEL_SERVICE_NAME: {{ $c.serviceName | quote }}
ADMIN_EMAIL: {{ $c.adminEmail | quote }}
{{- with $c.corsOrigins }}
CORS_ORIGINS: {{ . | quote }}
{{- end }}
{{- with $c.biocoreUrl }}
BIOCORE_URL: {{ . | quote }}
{{- end }}
{{- with $c.otlpEndpoint }}
OTEL_EXPORTER_OTLP_ENDPOINT: {{ . | quote }}
{{- end }}
{{- with $c.nodeOptions }}
NODE_OPTIONS: {{ . | quote }}
{{- end }}
{{- range $k, $v := $c.extraEnv }}
{{ $k }}: {{ $v | toString | quote }}
{{- end }}
{{- end }}

{{/* Pod-level pieces shared by the Deployment, the setup Job and the test pod. */}}
{{- define "pib.podSecurityContext" -}}
{{- toYaml .Values.podSecurityContext }}
{{- end }}

{{- define "pib.containerSecurityContext" -}}
{{- toYaml .Values.securityContext }}
{{- end }}

{{- define "pib.scratchVolumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpVolume.sizeLimit }}
- name: next-cache
  emptyDir:
    sizeLimit: {{ .Values.cacheVolume.sizeLimit }}
{{- end }}

{{- define "pib.scratchMounts" -}}
- name: tmp
  mountPath: /tmp
- name: next-cache
  mountPath: /app/.next/cache
{{- end }}
