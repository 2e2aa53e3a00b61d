// DockerRuntime keeps the Runtime contract on the real engine. Each case gets two fresh owners
// (removed after it) and the offline test images; an engine-specific detail (network mode, the
// 127.0.0.1 publishing) is tested in docker-runtime.test.ts.
import Dockerode from 'dockerode';
import { DockerRuntime } from '../../src/docker/docker-runtime.js';
import { cleanupOwner, describeDocker, testLabels, uniqueOwner } from '../helpers/docker.js';
import { runtimeContract } from '../contract/runtime.contract.js';

describeDocker('DockerRuntime', (env) => {
  runtimeContract('DockerRuntime', async () => {
    const owner = uniqueOwner('rc');
    const other = uniqueOwner('rc');
    return {
      runtime: env.runtime({ owner }),
      volumes: (runtime) => runtime as DockerRuntime,
      owner,
      otherOwner: env.runtime({ owner: other }),
      images: { present: 'dsr-test-web:v1', crashing: 'dsr-test-web:crash', absent: 'dsr-test-missing/nothing:never' },
      addForeign: async (name) => {
        // Labelled for cleanup only: no dsr.* labels, so no DSR owns it.
        await env.docker.createContainer({ name, Image: 'dsr-test-web:v1', Labels: testLabels(owner) });
      },
      unreachable: () => new DockerRuntime({ docker: new Dockerode({ socketPath: '/nonexistent/docker.sock' }), owner, mode: 'host' }),
      cleanup: async () => {
        await cleanupOwner(owner, env.docker);
        await cleanupOwner(other, env.docker);
      },
    };
  });
});
