// Container health check for images without a shell or curl (distroless): GET /readyz on the admin port.
// Exit 0 when ready, 1 otherwise; the admin port comes from the same ADMIN_PORT the service listens on.
const port = process.env.ADMIN_PORT;
const path = process.argv[2] ?? '/readyz';
if (!port) {
  console.error('healthcheck: ADMIN_PORT is not set');
  process.exit(1);
}
fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(2500) })
  .then((res) => process.exit(res.ok ? 0 : 1))
  .catch(() => process.exit(1));
