// A one-version service manifest whose HTTP probes stay in their start period (1 h), so the
// instances are never judged: for tests whose probes could not reach them (a fake runtime's
// addresses, Swarm task IPs from the host) and whose outcome must depend on the runtime alone.

/** `name` running `replicas` of `image` as version v1 on port 80, probes held. */
export function heldManifest(name: string, replicas: number, image: string, stopGracePeriod = '10s'): string {
  return `apiVersion: dsr/v1
kind: Service
metadata:
  name: ${name}
spec:
  port: 80
  stopGracePeriod: ${stopGracePeriod}
  health:
    path: /health
    interval: 1h
    timeout: 1s
    failureThreshold: 3
    startPeriod: 1h
  versions:
    - name: v1
      image: ${image}
      replicas: ${replicas}
`;
}
