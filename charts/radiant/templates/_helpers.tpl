{{/*
Names, labels, images and the fixed facts of the architecture shared by every template.
*/}}

{{- define "radiant.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "radiant.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "radiant.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Component keys are camelCase in values (demoProvider); names and labels use kebab-case (demo-provider). */}}
{{- define "radiant.componentSlug" -}}
{{- kebabcase . -}}
{{- end -}}

{{/* dict "root" $ "component" "router" */}}
{{- define "radiant.componentName" -}}
{{- printf "%s-%s" (include "radiant.fullname" .root) (include "radiant.componentSlug" .component) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "radiant.labels" -}}
helm.sh/chart: {{ include "radiant.chart" . }}
app.kubernetes.io/name: {{ include "radiant.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: radiant
{{- end -}}

{{/* dict "root" $ "component" "router" */}}
{{- define "radiant.selectorLabels" -}}
app.kubernetes.io/name: {{ include "radiant.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ include "radiant.componentSlug" .component }}
{{- end -}}

{{- define "radiant.componentLabels" -}}
{{ include "radiant.labels" .root }}
app.kubernetes.io/component: {{ include "radiant.componentSlug" .component }}
{{- end -}}

{{/* dict "root" $ "image" <component image values>: repository[:tag][@digest], each part falling back to .Values.image. */}}
{{- define "radiant.image" -}}
{{- $global := .root.Values.image -}}
{{- $own := .image | default dict -}}
{{- $repository := $own.repository | default $global.repository -}}
{{- $tag := $own.tag | default $global.tag | default .root.Chart.AppVersion -}}
{{- $digest := $own.digest | default $global.digest -}}
{{- if $digest -}}
{{- printf "%s@%s" $repository $digest -}}
{{- else -}}
{{- printf "%s:%s" $repository (toString $tag) -}}
{{- end -}}
{{- end -}}

{{/*
What each component is and whom it calls. This is the architecture, not configuration: the NetworkPolicies allow
exactly these calls, and the ConfigMaps carry exactly these peer addresses.
*/}}
{{- define "radiant.architecture" -}}
router: {module: services.router, database: true, redis: true, calls: [auth, phi, registry, metering], readinessPath: /readyz}
auth: {module: services.auth, database: true, redis: true, calls: []}
phi: {module: services.phi, database: true, redis: true, calls: []}
registry: {module: services.registry, database: true, redis: true, calls: []}
metering: {module: services.metering, database: true, redis: true, calls: []}
operator: {module: services.operator, database: false, redis: false, calls: [registry, metering]}
demoProvider: {module: services.demo_provider, database: false, redis: false, calls: [], readinessPath: /healthz}
{{- end -}}

{{- define "radiant.coreComponents" -}}
[router, auth, phi, registry, metering]
{{- end -}}

{{/* Is the component deployed? Core services always are; operator and demoProvider follow their `enabled`. */}}
{{- define "radiant.enabled" -}}
{{- $values := index .root.Values .component -}}
{{- if eq .component "operator" -}}{{ include "radiant.operatorEnabled" .root }}
{{- else if hasKey $values "enabled" -}}{{ ternary "true" "" $values.enabled }}{{- else -}}true{{- end -}}
{{- end -}}

{{/* operator.enabled: true, false, or auto (on when self-hosted models are declared). */}}
{{- define "radiant.operatorEnabled" -}}
{{- $enabled := .Values.operator.enabled -}}
{{- if eq (toString $enabled) "auto" -}}{{ include "radiant.selfHostedDeclared" . }}
{{- else if $enabled -}}true{{- end -}}
{{- end -}}

{{/* gRPC target of a component for its peers: headless Service + dns resolver, so clients see every pod. */}}
{{- define "radiant.grpcTarget" -}}
{{- $values := index .root.Values .component -}}
{{- printf "dns:///%s.%s.svc.%s:%v" (include "radiant.componentName" .) .root.Release.Namespace .root.Values.clusterDomain $values.ports.grpc -}}
{{- end -}}

{{/* env entries for a `secretEnv` map (ENV_VAR: key in the Secret); only references, never values. */}}
{{- define "radiant.secretEnv" -}}
{{- range $var, $key := .secretEnv }}
- name: {{ $var }}
  valueFrom:
    secretKeyRef:
      name: {{ $.secretName }}
      key: {{ $key }}
{{- end }}
{{- end -}}

{{- define "radiant.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "radiant.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
allowPrivilegeEscalation: false
privileged: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* dict "root" $ "component" "router": spread one component's pods over zones and nodes. */}}
{{- define "radiant.placement" -}}
{{- if .root.Values.topologySpread.enabled }}
topologySpreadConstraints:
  {{- range $key := list "topology.kubernetes.io/zone" "kubernetes.io/hostname" }}
  - maxSkew: 1
    topologyKey: {{ $key }}
    whenUnsatisfiable: {{ $.root.Values.topologySpread.whenUnsatisfiable }}
    labelSelector:
      matchLabels:
        {{- include "radiant.selectorLabels" $ | nindent 8 }}
  {{- end }}
affinity:
  podAntiAffinity:
    preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        podAffinityTerm:
          topologyKey: kubernetes.io/hostname
          labelSelector:
            matchLabels:
              {{- include "radiant.selectorLabels" . | nindent 14 }}
{{- end }}
{{- end -}}

{{/* NetworkPolicy egress rule to the cluster DNS. */}}
{{- define "radiant.dnsEgress" -}}
- to:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: {{ .Values.networkPolicy.dns.namespace }}
      podSelector:
        matchLabels:
          {{- toYaml .Values.networkPolicy.dns.podLabels | nindent 10 }}
  ports:
    - {protocol: UDP, port: 53}
    - {protocol: TCP, port: 53}
{{- end -}}

{{/* dict "ipBlocks" [{cidr, except}] "ports" [...]: one NetworkPolicy egress rule to IP blocks. */}}
{{- define "radiant.cidrEgress" -}}
- to:
    {{- range .ipBlocks }}
    - ipBlock:
        {{- toYaml . | nindent 8 }}
    {{- end }}
  ports:
    {{- range .ports }}
    - {protocol: TCP, port: {{ . }}}
    {{- end }}
{{- end -}}

{{/* NetworkPolicy egress rule to plain CIDRs on one port (Postgres, Redis). */}}
{{- define "radiant.endpointEgress" -}}
{{- $blocks := list -}}
{{- range .cidrs }}{{ $blocks = append $blocks (dict "cidr" .) }}{{ end -}}
{{- include "radiant.cidrEgress" (dict "ipBlocks" $blocks "ports" (list .port)) -}}
{{- end -}}
