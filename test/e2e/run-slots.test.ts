// The suite's run slots (run-slots.ts): at most `capacity` held at once, granted in the order asked
// for, given back when the task ends or throws, and a waiter whose test gave up leaves the queue.
import { afterEach, expect, test } from 'vitest'
import { openSlotServer, type SlotServer, withSlots } from './run-slots.js'

const servers: SlotServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

async function server(capacity: number): Promise<SlotServer> {
  const opened = await openSlotServer(capacity)
  servers.push(opened)
  return opened
}

/** A task that holds its slots until `release()`; `started` resolves once it holds them. */
function heldTask() {
  let release = () => {}
  let started = () => {}
  const running = new Promise<void>((resolve) => (started = resolve))
  const done = new Promise<void>((resolve) => (release = resolve))
  return {
    task: async () => {
      started()
      await done
    },
    running,
    release,
  }
}

test('at most the capacity at once, in the order asked for; a slot given back goes to the next', async () => {
  const { path } = await server(2)
  const order: string[] = []
  const [a, b, c] = [heldTask(), heldTask(), heldTask()]
  const runA = withSlots(path, 1, undefined, () => a.task().then(() => order.push('a')))
  const runB = withSlots(path, 1, undefined, () => b.task().then(() => order.push('b')))
  await Promise.all([a.running, b.running])
  const runC = withSlots(path, 1, undefined, async () => {
    order.push('c started')
    await c.task()
  })
  // c waits while a and b hold both slots: it starts only once one of them is done.
  a.release()
  await runA
  await c.running
  expect(order).toEqual(['a', 'c started'])
  b.release()
  c.release()
  await Promise.all([runB, runC])
})

test('a task that throws gives its slot back; a weight above the capacity is the whole capacity, not a wait forever', async () => {
  const { path } = await server(2)
  const failing = withSlots(path, 1, undefined, async () => {
    throw new Error('the run failed')
  })
  await expect(failing).rejects.toThrow('the run failed')
  const whole = heldTask()
  const runWhole = withSlots(path, 5, undefined, whole.task)
  await whole.running
  whole.release()
  await runWhole
})

test('a waiter aborted by its test rejects with the reason and leaves the queue', async () => {
  const { path } = await server(1)
  const holder = heldTask()
  const held = withSlots(path, 1, undefined, holder.task)
  await holder.running
  const gaveUp = new AbortController()
  let ranAborted = false
  const aborted = withSlots(path, 1, gaveUp.signal, async () => {
    ranAborted = true
  })
  const next = heldTask()
  const runNext = withSlots(path, 1, undefined, next.task)
  gaveUp.abort(new Error('test timed out'))
  await expect(aborted).rejects.toThrow('test timed out')
  holder.release()
  await held
  // The slot went to the waiter behind the aborted one.
  await next.running
  next.release()
  await runNext
  expect(ranAborted).toBe(false)
})

test('no slot server there: the wait rejects saying so', async () => {
  const error = await withSlots('/nonexistent/slots.sock', 1, undefined, async () => {}).catch((e) => e)
  expect((error as Error).message).toMatch(
    /^the e2e run slot server at \/nonexistent\/slots\.sock is not there \(/,
  )
})
