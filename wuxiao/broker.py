"""kombu's filesystem transport (the broker of `make run` and of the SQLite test run) with atomic writes.

kombu creates the message file, then locks and writes it, while a consumer moves any `*.<queue>.msg` file
it lists without looking at the lock: a worker polling at that moment read an empty file and died with a
JSONDecodeError (seen in a browser journey). Here the message is written under a name consumers skip
and renamed into place (os.replace: atomic on one file system), so a consumer sees all of it or nothing.
"""

from __future__ import annotations

import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import TRANSPORT_ALIASES, filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = final + ".part"  # "<ms>_<uuid>.<queue>.msg.part": not a "<queue>.msg" file to consumers
        try:
            with open(partial, "wb") as f:
                f.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel


# The broker URL names it ("wuxiaofs://", settings.CELERY_BROKER_URL), so whatever sets another URL (Redis
# in production, a closed port in the broker-down tests) replaces it as usual.
TRANSPORT_ALIASES.setdefault("wuxiaofs", "wuxiao.broker:Transport")
