-- known: the messages already read, by key: what became of them and where they should go.
select message_key, folder, uidvalidity, uid, outcome, moved_to
from inbound_messages
