// SPDX-License-Identifier: GPL-2.0
/*
 * pvm_dma: TEST ONLY. A hostile host's DMA weapon: it drives QEMU's "edu"
 * PCI device, which copies memory by DMA to and from a 4 KiB buffer of its
 * own, to read any physical page through a device.
 *
 *   echo 0x4321000 > /sys/kernel/debug/pvm_dma/read
 *   cat /sys/kernel/debug/pvm_dma/read	# "<status> <hex of 64 bytes>"
 *
 * A read fills edu's buffer with 0xee, has edu copy the page's first 64
 * bytes into it, then copies the buffer to a host DMA buffer: the page's
 * bytes if the device could read it, 0xee bytes if its read was refused.
 * Never load this anywhere but a test machine.
 */

#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>

#define EDU_VENDOR		0x1234
#define EDU_DEVICE		0x11e8
#define EDU_DMA_SRC		0x80
#define EDU_DMA_DST		0x88
#define EDU_DMA_COUNT		0x90
#define EDU_DMA_CMD		0x98
#define EDU_CMD_START		BIT(0)
#define EDU_CMD_TO_RAM		BIT(1)
#define EDU_BUFFER		0x40000
#define PVM_DMA_BYTES		64
#define PVM_DMA_FILL		0xee
#define PVM_DMA_POLLS		500

static struct {
	struct pci_dev *pdev;
	void __iomem *regs;
	u8 *buf;		/* coherent, host-owned */
	dma_addr_t buf_dma;
	struct mutex lock;	/* one copy at a time, and the result */
	int status;
	u8 result[PVM_DMA_BYTES];
	struct dentry *dir;
} dma;

/* One edu copy between its buffer and @addr; 0 or -ETIMEDOUT. */
static int edu_copy(u64 addr, bool to_ram)
{
	int i;

	writeq(to_ram ? EDU_BUFFER : addr, dma.regs + EDU_DMA_SRC);
	writeq(to_ram ? addr : EDU_BUFFER, dma.regs + EDU_DMA_DST);
	writeq(PVM_DMA_BYTES, dma.regs + EDU_DMA_COUNT);
	writeq(EDU_CMD_START | (to_ram ? EDU_CMD_TO_RAM : 0),
	       dma.regs + EDU_DMA_CMD);
	for (i = 0; i < PVM_DMA_POLLS; i++) {
		if (!(readq(dma.regs + EDU_DMA_CMD) & EDU_CMD_START))
			return 0;
		msleep(20);
	}
	return -ETIMEDOUT;
}

static int pvm_dma_read(u64 phys)
{
	int ret;

	memset(dma.buf, PVM_DMA_FILL, PVM_DMA_BYTES);
	ret = edu_copy(dma.buf_dma, false);	/* edu's buffer := 0xee */
	if (!ret)
		ret = edu_copy(phys, false);	/* edu's buffer := the page */
	memset(dma.buf, 0, PVM_DMA_BYTES);
	if (!ret)
		ret = edu_copy(dma.buf_dma, true);	/* host := edu's buffer */
	if (!ret)
		memcpy(dma.result, dma.buf, PVM_DMA_BYTES);
	return ret;
}

static ssize_t read_write(struct file *f, const char __user *ubuf,
			  size_t len, loff_t *off)
{
	u64 phys;
	int ret;

	ret = kstrtou64_from_user(ubuf, len, 0, &phys);
	if (ret)
		return ret;

	mutex_lock(&dma.lock);
	dma.status = pvm_dma_read(phys);
	mutex_unlock(&dma.lock);
	return len;
}

static ssize_t read_read(struct file *f, char __user *ubuf, size_t len,
			 loff_t *off)
{
	char out[16 + 2 * PVM_DMA_BYTES + 2];
	int n;

	mutex_lock(&dma.lock);
	n = scnprintf(out, sizeof(out), "%d %*phN\n", dma.status,
		      PVM_DMA_BYTES, dma.result);
	mutex_unlock(&dma.lock);
	return simple_read_from_buffer(ubuf, len, off, out, n);
}

static const struct file_operations read_fops = {
	.owner = THIS_MODULE,
	.write = read_write,
	.read = read_read,
};

static int pvm_dma_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;
	dma.regs = pcim_iomap(pdev, 0, 0);
	if (!dma.regs)
		return -ENOMEM;
	dma.buf = dmam_alloc_coherent(&pdev->dev, PAGE_SIZE, &dma.buf_dma,
				      GFP_KERNEL);
	if (!dma.buf)
		return -ENOMEM;
	pci_set_master(pdev);
	dma.pdev = pdev;
	dma.status = -ENODATA;
	dma.dir = debugfs_create_dir("pvm_dma", NULL);
	debugfs_create_file("read", 0600, dma.dir, NULL, &read_fops);
	dev_info(&pdev->dev, "pvm_dma: TEST ONLY, reads memory by DMA\n");
	return 0;
}

static void pvm_dma_remove(struct pci_dev *pdev)
{
	debugfs_remove_recursive(dma.dir);
}

static const struct pci_device_id pvm_dma_ids[] = {
	{ PCI_DEVICE(EDU_VENDOR, EDU_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, pvm_dma_ids);

static struct pci_driver pvm_dma_driver = {
	.name = "pvm_dma",
	.id_table = pvm_dma_ids,
	.probe = pvm_dma_probe,
	.remove = pvm_dma_remove,
};

static int __init pvm_dma_init(void)
{
	mutex_init(&dma.lock);
	return pci_register_driver(&pvm_dma_driver);
}

static void __exit pvm_dma_exit(void)
{
	pci_unregister_driver(&pvm_dma_driver);
}

module_init(pvm_dma_init);
module_exit(pvm_dma_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pvmkit test only: read physical memory by device DMA");
