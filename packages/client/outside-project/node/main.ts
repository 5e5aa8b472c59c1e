// The Node entry of the app: compiled with tsc (nodenext) and run by the system's Node 20.
import { connect, roundTrip } from '../src/tasks.js';

const client = connect(process.env.TASKS_URL!, () => process.env.TASKS_TOKEN);
console.log(JSON.stringify({ node: process.versions.node, ...(await roundTrip(client)) }));
