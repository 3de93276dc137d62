package export

import "unknot/internal/clinic"

// from writes who gives the document out under its title: the clinic's
// name, address, phone, email and website on one small line, or nothing
// when there is no clinic. Its text passes through fontText like every
// other (Small).
func (d *Document) from(c clinic.Contact) {
	if line := c.Line(); line != "" {
		d.Small("From " + line)
	}
}
