{{/*
One Radiant component (router, auth, phi, registry, metering, operator, demoProvider): ConfigMap, ServiceAccount,
Service, Deployment, HPA, PodDisruptionBudget and NetworkPolicy, all from `dict "root" $ "component" "<key>"`.
*/}}

{{- define "radiant.component" -}}
{{- include "radiant.component.configmap" . }}
{{ include "radiant.component.serviceaccount" . }}
{{ include "radiant.component.service" . }}
{{ include "radiant.component.deployment" . }}
{{- $v := index .root.Values .component }}
{{- if and $v.autoscaling $v.autoscaling.enabled }}
{{ include "radiant.component.hpa" . }}
{{- end }}
{{- if and $v.pdb $v.pdb.enabled }}
{{ include "radiant.component.pdb" . }}
{{- end }}
{{- if .root.Values.networkPolicy.enabled }}
{{ include "radiant.component.networkpolicy" . }}
{{- end }}
{{- end -}}

{{- define "radiant.component.arch" -}}
{{- toYaml (index (fromYaml (include "radiant.architecture" .root)) .component) -}}
{{- end -}}

{{/* Does the component serve Prometheus metrics? (every gRPC service does, through the shared runtime) */}}
{{- define "radiant.component.hasMetrics" -}}
{{- $v := index .root.Values .component -}}
{{- if and $v.ports.grpc (gt (int .root.Values.metricsPort) 0) -}}true{{- end -}}
{{- end -}}

{{- define "radiant.component.configmap" -}}
{{- $root := .root -}}
{{- $v := index $root.Values .component -}}
{{- $arch := fromYaml (include "radiant.component.arch" .) -}}
{{- $data := dict "RADIANT_ENV" $root.Values.env "RADIANT_LOG_LEVEL" $root.Values.logLevel -}}
{{- if $v.ports.grpc -}}
{{- $_ := set $data "RADIANT_GRPC_HOST" $root.Values.listenHost -}}
{{- $_ := set $data "RADIANT_GRPC_PORT" (toString $v.ports.grpc) -}}
{{- end -}}
{{- if include "radiant.component.hasMetrics" . -}}
{{- $_ := set $data "RADIANT_METRICS_PORT" (toString $root.Values.metricsPort) -}}
{{- $_ := set $data "RADIANT_METRICS_TENANT_LABEL" (toString $root.Values.monitoring.metricsTenantLabel) -}}
{{- end -}}
{{- $tracing := $root.Values.monitoring.tracing -}}
{{- if and $v.ports.grpc (ne $tracing.exporter "none") -}}
{{- $_ := set $data "RADIANT_OTEL_EXPORTER" $tracing.exporter -}}
{{- $_ := set $data "RADIANT_OTEL_ENDPOINT" $tracing.endpoint -}}
{{- $_ := set $data "RADIANT_OTEL_PROTOCOL" $tracing.protocol -}}
{{- $_ := set $data "RADIANT_OTEL_SAMPLE_RATIO" (toString $tracing.sampleRatio) -}}
{{- end -}}
{{- if eq .component "router" -}}
{{- $_ := set $data "RADIANT_HTTP_HOST" $root.Values.listenHost -}}
{{- $_ := set $data "RADIANT_HTTP_PORT" (toString $v.ports.http) -}}
{{- end -}}
{{- if eq .component "demoProvider" -}}
{{- $_ := set $data "RADIANT_DEMO_PROVIDER_HOST" $root.Values.listenHost -}}
{{- $_ := set $data "RADIANT_DEMO_PROVIDER_PORT" (toString $v.ports.http) -}}
{{- end -}}
{{- if $arch.database -}}
{{- /* The migrations hook Job upgrades the schema before the pods roll; the services must not race it. */ -}}
{{- $_ := set $data "RADIANT_DB_AUTO_MIGRATE" (ternary "false" "true" $root.Values.migrations.enabled) -}}
{{- end -}}
{{- range $callee := $arch.calls -}}
{{- $_ := set $data (printf "RADIANT_%s_ADDR" (upper $callee)) (include "radiant.grpcTarget" (dict "root" $root "component" $callee)) -}}
{{- end -}}
{{- if eq .component "auth" -}}
{{- with $root.Values.cognito.jwksUrl }}{{ $_ := set $data "RADIANT_JWKS_URL" . }}{{ end -}}
{{- with $root.Values.cognito.issuer }}{{ $_ := set $data "RADIANT_JWT_ISSUER" . }}{{ end -}}
{{- with $root.Values.cognito.audience }}{{ $_ := set $data "RADIANT_JWT_AUDIENCE" . }}{{ end -}}
{{- end -}}
{{- if and (eq .component "registry") $root.Values.demoProvider.enabled -}}
{{- $demo := include "radiant.componentName" (dict "root" $root "component" "demoProvider") -}}
{{- $_ := set $data "RADIANT_DEMO_PROVIDER_URL" (printf "http://%s.%s.svc.%s:%v/v1" $demo $root.Release.Namespace $root.Values.clusterDomain $root.Values.demoProvider.ports.http) -}}
{{- end -}}
{{- if eq .component "operator" -}}
{{- $_ := set $data "RADIANT_OPERATOR_MODEL_LABEL" "radiant.ai/model-id" -}}
{{- end -}}
{{- $data = merge (deepCopy ($v.env | default dict)) $data -}}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "radiant.componentName" . }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "radiant.componentLabels" . | nindent 4 }}
data:
  {{- range $key := keys $data | sortAlpha }}
  {{ $key }}: {{ index $data $key | toString | quote }}
  {{- end }}
{{- end -}}

{{- define "radiant.component.serviceaccount" -}}
{{- $v := index .root.Values .component -}}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "radiant.componentName" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "radiant.componentLabels" . | nindent 4 }}
  {{- with ($v.serviceAccount | default dict).roleArn }}
  annotations:
    eks.amazonaws.com/role-arn: {{ . | quote }}
  {{- end }}
automountServiceAccountToken: {{ eq .component "operator" }}
{{- end -}}

{{- define "radiant.component.service" -}}
{{- $v := index .root.Values .component -}}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ include "radiant.componentName" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "radiant.componentLabels" . | nindent 4 }}
spec:
  {{- if not $v.ports.http }}
  # Headless: gRPC clients resolve every pod and balance calls themselves (a ClusterIP pins one HTTP/2 connection).
  clusterIP: None
  {{- else }}
  type: ClusterIP
  {{- end }}
  selector:
    {{- include "radiant.selectorLabels" . | nindent 4 }}
  ports:
    {{- with $v.ports.http }}
    - {name: http, port: {{ . }}, targetPort: http, protocol: TCP, appProtocol: http}
    {{- end }}
    {{- with $v.ports.grpc }}
    - {name: grpc, port: {{ . }}, targetPort: grpc, protocol: TCP, appProtocol: grpc}
    {{- end }}
    {{- if include "radiant.component.hasMetrics" . }}
    - {name: metrics, port: {{ .root.Values.metricsPort }}, targetPort: metrics, protocol: TCP, appProtocol: http}
    {{- end }}
{{- end -}}

{{- define "radiant.component.deployment" -}}
{{- $root := .root -}}
{{- $v := index $root.Values .component -}}
{{- $arch := fromYaml (include "radiant.component.arch" .) -}}
{{- $slug := include "radiant.componentSlug" .component -}}
{{- $preStop := int ($v.preStopSleepSeconds | default 0) -}}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "radiant.componentName" . }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "radiant.componentLabels" . | nindent 4 }}
  {{- if eq .component "operator" }}
  annotations:
    # Scoped skip, listed with the others in charts/radiant/.checkov.yaml.
    checkov.io/skip1: CKV_K8S_38=the operator scales Deployments through the Kubernetes API and needs its token
  {{- end }}
spec:
  {{- if not (and $v.autoscaling $v.autoscaling.enabled) }}
  replicas: {{ $v.replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 25%, maxUnavailable: 0}
  selector:
    matchLabels:
      {{- include "radiant.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "radiant.componentLabels" . | nindent 8 }}
      annotations:
        checksum/config: {{ include "radiant.component.configmap" . | sha256sum }}
        {{- with $v.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "radiant.componentName" . }}
      {{- /* Only the operator talks to the Kubernetes API. */}}
      automountServiceAccountToken: {{ eq .component "operator" }}
      enableServiceLinks: false
      terminationGracePeriodSeconds: {{ add 30 $preStop }}
      securityContext:
        {{- include "radiant.podSecurityContext" . | nindent 8 }}
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- include "radiant.placement" . | nindent 6 }}
      {{- with $v.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ $slug }}
          image: {{ include "radiant.image" (dict "root" $root "image" $v.image) | quote }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          command: ["python", "-m", {{ $arch.module | quote }}]
          ports:
            {{- with $v.ports.http }}
            - {name: http, containerPort: {{ . }}, protocol: TCP}
            {{- end }}
            {{- with $v.ports.grpc }}
            - {name: grpc, containerPort: {{ . }}, protocol: TCP}
            {{- end }}
            {{- if include "radiant.component.hasMetrics" . }}
            - {name: metrics, containerPort: {{ $root.Values.metricsPort }}, protocol: TCP}
            {{- end }}
          envFrom:
            - configMapRef:
                name: {{ include "radiant.componentName" . }}
          {{- $secretEnv := $v.secretEnv | default dict }}
          {{- if or $secretEnv (has .component (list "metering" "operator")) }}
          env:
            {{- if eq .component "metering" }}
            # Stable per pod, so a restarted replica re-reads its own pending usage entries.
            - name: RADIANT_USAGE_CONSUMER_NAME
              valueFrom: {fieldRef: {fieldPath: metadata.name}}
            {{- end }}
            {{- if eq .component "operator" }}
            - name: RADIANT_OPERATOR_NAMESPACE
              valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
            - name: RADIANT_OPERATOR_POD_NAME
              valueFrom: {fieldRef: {fieldPath: metadata.name}}
            {{- end }}
            {{- include "radiant.secretEnv" (dict "secretEnv" $secretEnv "secretName" $root.Values.secrets.name) | nindent 12 }}
          {{- end }}
          {{- if $v.ports.http }}
          startupProbe:
            httpGet: {path: /healthz, port: http}
            periodSeconds: 2
            failureThreshold: 30
          livenessProbe:
            httpGet: {path: /healthz, port: http}
            periodSeconds: 10
            timeoutSeconds: 2
            failureThreshold: 3
          readinessProbe:
            httpGet: {path: {{ $arch.readinessPath }}, port: http}
            periodSeconds: 5
            timeoutSeconds: 2
            failureThreshold: 2
          {{- else }}
          startupProbe:
            grpc: {port: {{ $v.ports.grpc }}}
            periodSeconds: 2
            failureThreshold: 60
          # Liveness asks only "is the process accepting connections": the gRPC health status turns NOT_SERVING
          # while the database or Redis is unreachable, and restarting every replica then would turn a dependency
          # outage into a crash loop. Readiness uses the gRPC health status.
          livenessProbe:
            tcpSocket: {port: grpc}
            periodSeconds: 10
            timeoutSeconds: 2
            failureThreshold: 3
          readinessProbe:
            grpc: {port: {{ $v.ports.grpc }}}
            periodSeconds: 5
            timeoutSeconds: 2
            failureThreshold: 2
          {{- end }}
          {{- if $preStop }}
          lifecycle:
            # Keep serving while the load balancer deregisters this pod.
            preStop:
              sleep: {seconds: {{ $preStop }}}
          {{- end }}
          resources:
            {{- toYaml $v.resources | nindent 12 }}
          securityContext:
            {{- include "radiant.containerSecurityContext" . | nindent 12 }}
          volumeMounts:
            - {name: tmp, mountPath: /tmp}
      volumes:
        - name: tmp
          emptyDir: {sizeLimit: 64Mi}
{{- end -}}

{{- define "radiant.component.hpa" -}}
{{- $a := (index .root.Values .component).autoscaling -}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "radiant.componentName" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "radiant.componentLabels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "radiant.componentName" . }}
  minReplicas: {{ $a.minReplicas }}
  maxReplicas: {{ $a.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target: {type: Utilization, averageUtilization: {{ $a.targetCPUUtilizationPercentage }}}
    {{- with $a.targetMemoryUtilizationPercentage }}
    - type: Resource
      resource:
        name: memory
        target: {type: Utilization, averageUtilization: {{ . }}}
    {{- end }}
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 300
{{- end -}}

{{- define "radiant.component.pdb" -}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "radiant.componentName" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "radiant.componentLabels" . | nindent 4 }}
spec:
  maxUnavailable: {{ (index .root.Values .component).pdb.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "radiant.selectorLabels" . | nindent 6 }}
{{- end -}}

{{/* Pods of the enabled components that call `component`, as NetworkPolicy peers. */}}
{{- define "radiant.component.callerPeers" -}}
{{- $root := .root -}}
{{- $target := .component -}}
{{- range $caller, $arch := fromYaml (include "radiant.architecture" $root) }}
{{- if and (has $target $arch.calls) (include "radiant.enabled" (dict "root" $root "component" $caller)) }}
- podSelector:
    matchLabels:
      {{- include "radiant.selectorLabels" (dict "root" $root "component" $caller) | nindent 6 }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Ingress rules of a component's NetworkPolicy: who may call it, on which port. */}}
{{- define "radiant.component.ingressRules" -}}
{{- $root := .root -}}
{{- $np := $root.Values.networkPolicy -}}
{{- $v := index $root.Values .component -}}
{{- $callers := include "radiant.component.callerPeers" . -}}
{{- if eq .component "router" }}
- from:
    {{- toYaml $np.routerHttpFrom | nindent 4 }}
  ports:
    - {protocol: TCP, port: {{ $v.ports.http }}}
{{- with $np.routerGrpcFrom }}
- from:
    {{- toYaml . | nindent 4 }}
  ports:
    - {protocol: TCP, port: {{ $v.ports.grpc }}}
{{- end }}
{{- else if eq .component "demoProvider" }}
- from:
    - podSelector:
        matchLabels:
          {{- include "radiant.selectorLabels" (dict "root" $root "component" "router") | nindent 10 }}
  ports:
    - {protocol: TCP, port: {{ $v.ports.http }}}
{{- else if $callers }}
- from:
    {{- $callers | nindent 4 }}
  ports:
    - {protocol: TCP, port: {{ $v.ports.grpc }}}
{{- end }}
{{- if include "radiant.component.hasMetrics" . }}
- from:
    {{- toYaml $np.metricsFrom | nindent 4 }}
  ports:
    - {protocol: TCP, port: {{ $root.Values.metricsPort }}}
{{- end }}
{{- end -}}

{{- define "radiant.component.networkpolicy" -}}
{{- $root := .root -}}
{{- $np := $root.Values.networkPolicy -}}
{{- $v := index $root.Values .component -}}
{{- $arch := fromYaml (include "radiant.component.arch" .) -}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "radiant.componentName" . }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "radiant.componentLabels" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "radiant.selectorLabels" . | nindent 6 }}
  policyTypes: [Ingress, Egress]
  {{- $ingress := include "radiant.component.ingressRules" . | trim }}
  {{- if $ingress }}
  ingress:
    {{- $ingress | nindent 4 }}
  {{- else }}
  ingress: []
  {{- end }}
  egress:
    {{- include "radiant.dnsEgress" $root | nindent 4 }}
    {{- range $callee := $arch.calls }}
    {{- $calleeValues := index $root.Values $callee }}
    - to:
        - podSelector:
            matchLabels:
              {{- include "radiant.selectorLabels" (dict "root" $root "component" $callee) | nindent 14 }}
      ports:
        - {protocol: TCP, port: {{ $calleeValues.ports.grpc }}}
    {{- end }}
    {{- if $arch.database }}
    {{- include "radiant.endpointEgress" $np.postgres | nindent 4 }}
    {{- end }}
    {{- if $arch.redis }}
    {{- include "radiant.endpointEgress" $np.redis | nindent 4 }}
    {{- end }}
    {{- if eq .component "router" }}
    {{- include "radiant.cidrEgress" $np.providers | nindent 4 }}
    {{- if $root.Values.demoProvider.enabled }}
    - to:
        - podSelector:
            matchLabels:
              {{- include "radiant.selectorLabels" (dict "root" $root "component" "demoProvider") | nindent 14 }}
      ports:
        - {protocol: TCP, port: {{ $root.Values.demoProvider.ports.http }}}
    {{- end }}
    {{- with $root.Values.models.servers }}
    - to:
        - podSelector:
            matchExpressions:
              - {key: radiant.ai/model-id, operator: Exists}
            matchLabels:
              app.kubernetes.io/instance: {{ $root.Release.Name }}
      ports:
        {{- range $port := include "radiant.modelPorts" $root | fromYamlArray }}
        - {protocol: TCP, port: {{ $port }}}
        {{- end }}
    {{- end }}
    {{- end }}
    {{- if eq .component "operator" }}
    {{- include "radiant.cidrEgress" $np.kubeApi | nindent 4 }}
    {{- end }}
    {{- $tracing := $root.Values.monitoring.tracing }}
    {{- if and $v.ports.grpc (eq $tracing.exporter "otlp") }}
    # Spans to the OpenTelemetry collector.
    - to:
        {{- toYaml $tracing.collector | nindent 8 }}
      ports:
        - {protocol: TCP, port: {{ $tracing.port }}}
    {{- end }}
    {{- if or (eq .component "operator") ($v.serviceAccount | default dict).roleArn }}
    # AWS APIs over HTTPS (STS for the IRSA role{{ if eq .component "operator" }}, SageMaker{{ end }}).
    {{- include "radiant.cidrEgress" $np.awsApis | nindent 4 }}
    {{- end }}
{{- end -}}
