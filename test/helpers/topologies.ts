// Topology texts more than one suite runs against (unit tests and the real-VS-Code suite alike: no imports).

/** Two services, web started after db; `web` listens on port 8080 (tests edit that value to make a change). */
export const dbAndWeb = (name: string): string => `name = "${name}"

[services.db]
rootfs = "/nix/store/00000000000000000000000000000000-db-rootfs"
command = ["db-server"]
memory = "64M"

[services.web]
rootfs = "/nix/store/00000000000000000000000000000000-web-rootfs"
command = ["web-server", "--port", "8080"]
memory = "64M"
depends_on = [{ service = "db", condition = "started" }]
`;
