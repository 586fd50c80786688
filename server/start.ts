/** `npm start`: the production build (`npm run build`) on $HOST:$PORT; every interface when HOST is unset. */
import { startServer } from "./http";

process.env.NODE_ENV ??= "production";
await startServer({ dev: false, port: Number(process.env.PORT ?? 3000), host: process.env.HOST || undefined });
